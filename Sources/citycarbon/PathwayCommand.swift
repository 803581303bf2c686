import ArgumentParser
import CarbonKit
import CarbonPathways
import CityCarbonStore
import Foundation

struct PathwayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pathway",
        abstract: "Scenarios to the carbon peak and to net zero: run, save, publish, decompose.",
        discussion: """
        A scenario is a JSON file: its base year (the workspace inventory with "fromInventory": true,
        or cells given inline), drivers (population, GDP, sector intensities, fuel factor paths),
        measures in the order they act, sinks, offsets, targets and uncertain inputs. See
        demo/pathways/*.json and the README.
          citycarbon pathway run demo-planned.json --format table
          citycarbon pathway run xiongan-2035.json --runs 10000 --seed 7 --format csv
          citycarbon pathway save demo-planned.json && citycarbon pathway publish demo-planned
          citycarbon pathway lmdi --from 2015 --to 2023
        """,
        subcommands: [Run.self, Save.self, List.self, Publish.self, Delete.self, Decompose.self]
    )

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a scenario file (or a saved scenario) and print its pathway.")
        @Argument(help: "A scenario JSON file, or the identifier of a saved scenario.") var scenario: String
        @Option(help: "table, json or csv.") var format: OutputFormat = .table
        @Option(help: "Monte Carlo runs (the scenario's own setting when absent; 0 for none).") var runs: Int?
        @Option(help: "Seed for the Monte Carlo runs.") var seed: UInt64?
        @Option(help: "Language of names: en or zh-Hans.") var language = "en"
        @OptionGroup var workspace: WorkspaceOptions

        func validate() throws {
            if let runs, runs < 0 || runs > 1_000_000 { throw ValidationError("--runs must be between 0 and 1,000,000") }
        }

        func run() throws {
            let database = workspace.isPostgres || FileManager.default.fileExists(atPath: workspace.path) ? try workspace.open() : nil
            let model: PathwayModel
            if FileManager.default.fileExists(atPath: scenario) {
                let file = FileInput.name(scenario)
                model = try PathwayInputs(database).model(try ScenarioFile.decode(try FileInput.read(scenario), file: file), file: file)
            } else if let database {
                model = try PathwayRepository(database).model(scenario)
            } else {
                throw CLIFailure.usage("\(scenario) is neither a file nor a saved scenario (no workspace at \(workspace.path))")
            }
            let result = model.run(language: language)
            let settings = model.scenario.monteCarlo
            let count = runs ?? settings?.runs ?? 0
            let uncertainty = count > 0 ? MonteCarlo.run(model, runs: count, seed: seed ?? settings?.seed ?? 1, language: language) : nil
            let macc = MarginalAbatementCurve(scenario: model.scenario, result: result)
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
                let output = PathwayOutput(result: result, monteCarlo: uncertainty, macc: macc.bars.isEmpty ? nil : macc)
                print(String(decoding: try encoder.encode(output), as: UTF8.self))
            case .csv:
                print(PathwayText.csv(result, uncertainty), terminator: "")
            case .table:
                print(PathwayText.table(result, uncertainty, macc))
            }
        }
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a scenario file against the workspace and save it (replacing one with the same identifier).")
        @Argument(help: "The scenario JSON file.") var file: String
        @Option(help: "Publish it too.") var publish = false
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let repository = PathwayRepository(try workspace.open())
            let scenario = try repository.save(try FileInput.read(file), file: FileInput.name(file), actor: workspace.who)
            if publish { try repository.setPublished(scenario.identifier, true, actor: workspace.who) }
            print("Saved scenario \(scenario.identifier)\(publish ? " and published it" : "").")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The saved scenarios, with peak and neutrality years.")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let repository = PathwayRepository(try workspace.open())
            let stored = try repository.scenarios()
            if stored.isEmpty { print("No scenarios."); return }
            let rows = try stored.map { s -> [String] in
                let result = try repository.model(s.scenario.identifier).run()
                let peak = result.analysis.peak.map { "\($0.year) (\($0.status.rawValue))" } ?? "—"
                return [s.scenario.identifier, s.scenario.kind.rawValue, "\(s.scenario.baseYear)–\(s.scenario.endYear)", peak,
                        result.analysis.neutralityYear.map(String.init) ?? "—", s.isPublished ? "published" : "draft"]
            }
            print(TextTable.render(header: ["Scenario", "Kind", "Years", "Peak", "Net zero", "State"], rows: rows))
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a saved scenario on the public pages and in the open API (or --withdraw it).")
        @Argument(help: "The scenario's identifier.") var scenario: String
        @Flag(help: "Take it off the public pages.") var withdraw = false
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            try PathwayRepository(try workspace.open()).setPublished(scenario, !withdraw, actor: workspace.who)
            print(withdraw ? "Withdrew \(scenario)." : "Published \(scenario).")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a saved scenario (the audit trail keeps its last version).")
        @Argument(help: "The scenario's identifier.") var scenario: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            try PathwayRepository(try workspace.open()).delete(scenario, actor: workspace.who)
            print("Deleted \(scenario).")
        }
    }

    struct Decompose: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "lmdi", abstract: "LMDI decomposition of the change in emissions between two inventory years.")
        @Option(help: "The earlier year.") var from: Int
        @Option(help: "The later year.") var to: Int
        @Option(help: "table, json or csv.") var format: OutputFormat = .table
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let result = try PathwayRepository(try workspace.open()).decomposition(from: from, to: to)
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(LMDIOutput(result)), as: UTF8.self))
            case .csv:
                var text = "sector,change," + LMDI.Effect.allCases.map(\.rawValue).joined(separator: ",") + "\n"
                for sector in result.bySector.keys.sorted() {
                    text += "\(sector),\(result.sectorChange[sector] ?? 0)," + LMDI.Effect.allCases.map { String(result.bySector[sector]?[$0] ?? 0) }.joined(separator: ",") + "\n"
                }
                text += "total,\(result.change)," + LMDI.Effect.allCases.map { String(result.effect($0)) }.joined(separator: ",") + "\n"
                print(text, terminator: "")
            case .table:
                let t = { (x: Double) in GroupedNumber.format(x, decimals: 0) }
                var rows = result.bySector.keys.sorted().map { sector in
                    [sector, t(result.sectorChange[sector] ?? 0)] + LMDI.Effect.allCases.map { t(result.bySector[sector]?[$0] ?? 0) }
                }
                rows.append(["Total", t(result.change)] + LMDI.Effect.allCases.map { t(result.effect($0)) })
                print("Change in BASIC emissions \(result.fromYear) → \(result.toYear): \(t(result.from)) → \(t(result.to)) t CO2e (additive LMDI-I)")
                print(TextTable.render(header: ["Sector", "Change"] + LMDI.Effect.allCases.map(\.rawValue.capitalized), rows: rows, rightAligned: Set(1...6)))
            }
        }
    }
}

struct PathwayOutput: Encodable {
    var result: PathwayResult
    var monteCarlo: MonteCarloResult?
    var macc: MarginalAbatementCurve?
}

struct LMDIOutput: Encodable {
    var fromYear: Int, toYear: Int, from: Double, to: Double, change: Double
    var effects: [String: Double]
    var bySector: [String: [String: Double]]
    init(_ r: LMDI.Result) {
        fromYear = r.fromYear; toYear = r.toYear; from = r.from; to = r.to; change = r.change
        effects = Dictionary(uniqueKeysWithValues: r.effects.map { ($0.key.rawValue, $0.value) })
        bySector = r.bySector.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) }
    }
}

/// The text forms of a pathway: a table for people, CSV for spreadsheets.
enum PathwayText {
    static func csv(_ r: PathwayResult, _ mc: MonteCarloResult?) -> String {
        var header = ["year", "baseline_t", "gross_t"] + r.wedges.map { "wedge_\($0.id)_t" } + r.sinks.map { "sink_\($0.id)_t" } + ["offsets_t", "net_t"]
        if mc != nil { header += ["net_p10_t", "net_p50_t", "net_p90_t", "probability_peaked"] }
        var text = header.joined(separator: ",") + "\n"
        for (t, year) in r.years.enumerated() {
            var cells = [String(year), number(r.baseline[t]), number(r.gross[t])] + r.wedges.map { number($0.tonnes[t]) }
            cells += r.sinks.map { number($0.tonnes[t]) } + [number(r.offsets[t]), number(r.net[t])]
            if let mc { cells += [number(mc.net.p10[t]), number(mc.net.p50[t]), number(mc.net.p90[t]), String(mc.peakedBy[t])] }
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }

    static func number(_ x: Double) -> String { String(format: "%.3f", x) }

    static func table(_ r: PathwayResult, _ mc: MonteCarloResult?, _ macc: MarginalAbatementCurve) -> String {
        let t = { (x: Double) in GroupedNumber.format(x, decimals: 0) }
        let milestones = r.years.indices.filter { i in i == 0 || i == r.years.count - 1 || r.years[i] % 5 == 0 }
        var header = ["Year", "Baseline", "Gross", "Sinks", "Offsets", "Net"]
        if mc != nil { header += ["Net P10", "Net P90"] }
        let rows = milestones.map { i -> [String] in
            let sinks = r.sinks.reduce(0) { $0 + $1.tonnes[i] }
            var row = [String(r.years[i]), t(r.baseline[i]), t(r.gross[i]), t(sinks), t(r.offsets[i]), t(r.net[i])]
            if let mc { row += [t(mc.net.p10[i]), t(mc.net.p90[i])] }
            return row
        }
        var out = "\(r.name) (\(r.kind)), \(r.jurisdiction): t CO2e a year\n"
        out += TextTable.render(header: header, rows: rows, rightAligned: Set(1..<header.count)) + "\n"
        if !r.wedges.isEmpty {
            out += "\nWedges (t CO2e below the baseline, in the order the measures act):\n"
            out += TextTable.render(header: ["Measure", "Kind"] + milestones.dropFirst().map { String(r.years[$0]) },
                                    rows: r.wedges.map { w in [w.name, w.kind] + milestones.dropFirst().map { t(w.tonnes[$0]) } },
                                    rightAligned: Set(2..<(2 + milestones.count - 1))) + "\n"
        }
        let a = r.analysis
        out += "\nPeak: " + (a.peak.map { p in
            "\(p.year), \(t(p.value)) t (\(p.status.rawValue); plateau \(p.plateauFrom)–\(p.plateauTo) within \(Int(a.plateauTolerance * 100)) %)"
        } ?? "—") + "\n"
        out += "Net zero (net ≤ 0): \(a.neutralityYear.map(String.init) ?? "not within the horizon")\n"
        out += "Gross zero: \(a.grossZeroYear.map(String.init) ?? "not within the horizon")\n"
        for target in a.targets {
            var line = "Target \(target.name): \(target.met ? "met" : "not met")"
            if let value = target.value, let allowed = target.allowed { line += " — \(t(value)) against \(t(allowed)) allowed in \(target.year)" }
            if let gap = target.gap, gap > 0 { line += ", gap \(t(gap))" }
            if let chance = mc?.targets.first(where: { $0.id == target.id }) { line += String(format: "; probability %.0f %%", chance.probability * 100) }
            out += line + "\n"
        }
        if let mc {
            out += "Monte Carlo: \(mc.runs) runs, seed \(mc.seed)"
            if let year = r.analysis.targets.first(where: { $0.kind == "peak_by" })?.year, let p = mc.probabilityOfPeaking(by: year) {
                out += String(format: "; probability of peaking by %d: %.0f %%", year, p * 100)
            }
            out += "\n"
        }
        if !macc.bars.isEmpty {
            out += "\nAbatement cost curve, \(macc.year) (discount rate \(macc.discountRate * 100) %):\n"
            out += TextTable.render(header: ["Measure", "Abatement t", "Cost per t", "Cumulative t"], rows: macc.bars.map { b in
                [b.name, t(b.abatementTonnes), "\(GroupedNumber.format(b.costPerTonne, decimals: 0)) \(b.currency)", t(b.cumulativeTo)]
            }, rightAligned: [1, 2, 3]) + "\n"
        }
        return out
    }
}
