import ArgumentParser
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation

struct AssessmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment",
        abstract: "The annual assessment of the districts: run, freeze, publish.",
        discussion: """
        A scheme sheet (component, name_en, name_zh, weight) says what is scored and how much
        each counts. emissions_target and data_quality are scored from the workspace's data; every
        other component comes from a scores sheet (jurisdiction, component, score 0–100, evidence).
          citycarbon assessment run --year 2023 --scheme scheme.csv --scores scores-2023.csv
          citycarbon assessment freeze --year 2023 && citycarbon assessment publish --year 2023
        """,
        subcommands: [Run.self, Freeze.self, Publish.self, Show.self]
    )

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Score, rank and light every district for a year, as a draft.")
        @Option(help: "The year assessed.") var year: Int
        @Option(help: "The scheme CSV.") var scheme: String
        @Option(help: "The office's scores CSV.") var scores: String?
        @Option(help: "A total at or above this is green.") var green: Double = 80
        @Option(help: "A total at or above this is amber.") var amber: Double = 60
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let parsed = try AssessmentSheet.scheme(String(decoding: try readFile(scheme), as: UTF8.self), file: (scheme as NSString).lastPathComponent, green: green, amber: amber)
            let result = try AssessmentRepository(try workspace.open()).run(year: year, scheme: parsed, scores: try scores.map(readFile),
                                                                           file: scores.map { ($0 as NSString).lastPathComponent } ?? "", actor: workspace.who)
            Show.print(result)
        }
    }

    struct Freeze: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fix a year's results: they can no longer change.")
        @Option(help: "The year.") var year: Int
        @OptionGroup var workspace: WorkspaceOptions
        func run() throws {
            try AssessmentRepository(try workspace.open()).freeze(year: year, actor: workspace.who)
            print("The \(year) assessment is frozen.")
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disclose a frozen year's results on the public pages and API.")
        @Option(help: "The year.") var year: Int
        @OptionGroup var workspace: WorkspaceOptions
        func run() throws {
            try AssessmentRepository(try workspace.open()).publish(year: year, actor: workspace.who)
            print("The \(year) assessment is published.")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A year's ranking with every score.")
        @Option(help: "The year.") var year: Int
        @OptionGroup var workspace: WorkspaceOptions
        func run() throws {
            guard let result = try AssessmentRepository(try workspace.open()).assessment(year: year) else { throw CLIFailure.usage("no assessment of \(year)") }
            Self.print(result)
        }

        static func print(_ a: DistrictAssessment) {
            let components = a.scheme.components.map(\.identifier)
            Swift.print("Assessment \(a.year) (\(a.state.rawValue))")
            Swift.print(TextTable.render(header: ["Rank", "District"] + components + ["Total", "Light"], rows: a.results.map { r in
                [String(r.rank), r.jurisdiction] + components.map { c in r.scores.first { $0.component == c }.map { String(format: "%.1f", $0.score) } ?? "—" }
                    + [String(format: "%.1f", r.total), r.light.rawValue]
            }, rightAligned: Set([0] + Array(2..<(3 + components.count)))))
        }
    }
}
