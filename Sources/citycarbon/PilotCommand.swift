import ArgumentParser
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation

struct PilotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot",
        abstract: "The low-carbon pilot registry and the plan's pilot goals.",
        discussion: """
        Pilots are loaded as a sheet of lifecycle steps (identifier, stage, date, score, note; the
        applied row also name_en, name_zh, kind, jurisdiction); loading it again adds only new steps.
        Stages: applied → approved → monitoring (yearly) → mid_term_evaluated → summary_evaluated,
        with rectification and elimination.
        """,
        subcommands: [Import.self, Goals.self, List.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply a sheet of lifecycle steps: all rows or none.")
        @Argument(help: "The CSV.") var file: String
        @OptionGroup var workspace: WorkspaceOptions
        func run() throws {
            let changed = try PilotRepository(try workspace.open()).importSheet(try readFile(file), file: (file as NSString).lastPathComponent, actor: workspace.who)
            print("Pilots: \(changed.count) added or moved on.")
        }
    }

    struct Goals: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace the pilot goals with a sheet's (kind, minimum, maximum, source).")
        @Argument(help: "The CSV.") var file: String
        @OptionGroup var workspace: WorkspaceOptions
        func run() throws {
            try PilotRepository(try workspace.open()).importGoals(try readFile(file), file: (file as NSString).lastPathComponent, actor: workspace.who)
            print("Pilot goals replaced.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The goals against the active pilots, and every pilot's stage.")
        @OptionGroup var workspace: WorkspaceOptions
        func run() throws {
            let repository = PilotRepository(try workspace.open())
            let pilots = try repository.all()
            print(TextTable.render(header: ["Kind", "Goal", "Active", "Met"], rows: try repository.goals().map { goal, _ in
                let count = goal.count(in: pilots)
                return [goal.kind.rawValue, goal.maximum.map { "\(goal.minimum)–\($0)" } ?? "≥ \(goal.minimum)", String(count.active), count.met ? "yes" : "no"]
            }, rightAligned: [2]))
            print(TextTable.render(header: ["Pilot", "Kind", "Jurisdiction", "Stage", "Since"], rows: pilots.map {
                [$0.identifier, $0.kind.rawValue, $0.jurisdiction, $0.stage.rawValue, $0.history.last!.on.description]
            }, rightAligned: []))
        }
    }
}
