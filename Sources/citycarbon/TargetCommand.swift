import ArgumentParser
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation

struct TargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "The city's targets and their share-out to districts and sectors.",
        discussion: """
        Targets come from a sheet (identifier, name_en, name_zh, metric, jurisdiction, base_year,
        target_year, reduction_percent or level — neither while a handed-down number is pending —
        and handed_down_from). A total-emissions target is then shared out:
          citycarbon target allocate peak-2030 --by jurisdiction --method proportional
          citycarbon target allocate peak-2030 --by jurisdiction --method manual --part Harbour=2600000 --part …
        """,
        subcommands: [Import.self, List.self, Allocate.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load a target sheet: all rows or none.")
        @Argument(help: "The CSV of targets.") var file: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let result = try TargetRepository(try workspace.open()).importSheet(try readFile(file), file: (file as NSString).lastPathComponent, actor: workspace.who)
            print("Targets: \(result.added.count) added, \(result.updated.count) updated.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every target with its base value, level, latest value and status.")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let progress = try TargetRepository(try workspace.open()).progress()
            if progress.isEmpty { print("No targets."); return }
            func n(_ x: Double?) -> String { x.map { GroupedNumber.format($0, decimals: $0 < 100 ? 4 : 0) } ?? "—" }
            print(TextTable.render(header: ["Target", "Jurisdiction", "Base", "Level", "Latest", "Status", "Allocated to"], rows: progress.map { p in
                [p.target.identifier, p.target.jurisdiction, "\(n(p.baseValue)) (\(p.target.baseYear))", "\(p.level == nil ? "pending" : n(p.level)) (\(p.target.targetYear))",
                 p.actual.last.map { "\(n($0.value)) (\($0.year))" } ?? "—", p.assessment.status.rawValue,
                 p.target.allocations.map { "\($0.dimension.rawValue) (\($0.method.rawValue))" }.joined(separator: ", ")]
            }, rightAligned: []))
        }
    }

    struct Allocate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Share a total-emissions target out to the districts below it, or to the sectors; the parts must add up.")
        @Argument(help: "The target's identifier.") var target: String
        @Option(name: .customLong("by"), help: "jurisdiction or sector.") var dimension: String = "jurisdiction"
        @Option(help: "equal, proportional (to base-year emissions), weighted or manual.") var method: String = "proportional"
        @Option(name: .customLong("part"), help: ArgumentHelp("NAME=VALUE: a weight (weighted) or a level in t CO2e (manual); repeat for every part.", valueName: "name=value"))
        var parts: [String] = []
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard let by = TargetAllocation.Dimension(rawValue: dimension) else { throw CLIFailure.usage("--by must be jurisdiction or sector, not \(dimension)") }
            guard let how = TargetAllocation.Method(rawValue: method) else { throw CLIFailure.usage("--method must be equal, proportional, weighted or manual, not \(method)") }
            var values: [String: Double] = [:]
            for part in parts {
                let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard pieces.count == 2, let value = Double(pieces[1]) else { throw CLIFailure.usage("--part \(part): write NAME=NUMBER") }
                values[pieces[0]] = value
            }
            let allocation = try TargetRepository(try workspace.open()).allocate(target, dimension: by, method: how, values: values, actor: workspace.who)
            print(TextTable.render(header: ["Part", "Level t CO2e"], rows: allocation.parts.sorted { $0.value > $1.value }.map { [$0.key, GroupedNumber.format($0.value, decimals: 0)] }
                                   + [["Total", GroupedNumber.format(allocation.parts.values.reduce(0, +), decimals: 0)]], rightAligned: [1]))
        }
    }
}
