import ArgumentParser
import CarbonKit
import CityCarbonPages
import CityCarbonStore
import ClimatePlans
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Yearly plan reports: frozen snapshots, printable HTML and CSV.",
        subcommands: [Build.self]
    )

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Freeze the report of a year and write it to a folder.",
            discussion: """
            Writes report.html (English), report.zh-Hans.html, actions.csv, indicators.csv,
            report.xlsx (every table as a sheet) and snapshot.json. Each build is a new stored version; the HTML compares the year with the
            previous year's report when there is one. The same report is served at /plans/PLAN/reports/YEAR.
            """
        )
        @Option(help: "The year reported on.") var year: Int
        @Option(help: ArgumentHelp("The folder to write to (created if needed).", valueName: "dir")) var out: String
        @Option(help: "The plan (may be left out when the workspace has only one).") var plan: String?
        @Option(help: "Sign the audit chain's head once the report is frozen with this key file (citycarbon audit key).")
        var auditKey: String?
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let database = try workspace.open()
            let plans = try PlanRepository(database).plans().map(\.identifier)
            guard let identifier = plan ?? (plans.count == 1 ? plans[0] : nil) else {
                throw CLIFailure.usage("name the plan with --plan: \(plans.joined(separator: ", "))")
            }
            let report = try PlanReport.build(database: database, plan: identifier, year: year, actor: workspace.who,
                                              key: try auditKey.map(AuditKey.load))
            let previous = try PlanReportRepository(database).report(plan: identifier, year: year - 1)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let files: [(String, Data)] = [
                ("report.html", Data(PlanReport.standaloneHTML(report, previous: previous, english: true).utf8)),
                ("report.zh-Hans.html", Data(PlanReport.standaloneHTML(report, previous: previous, english: false).utf8)),
                ("actions.csv", Data(PlanReport.actionsCSV(report).utf8)),
                ("indicators.csv", Data(PlanReport.indicatorsCSV(report).utf8)),
                ("report.xlsx", Data(PlanReport.xlsx(report))),
                ("snapshot.json", try encoder.encode(report.snapshot)),
            ]
            for (name, data) in files {
                let path = (out as NSString).appendingPathComponent(name)
                guard FileManager.default.createFile(atPath: path, contents: data) else { throw CLIFailure.usage("cannot write \(path)") }
            }
            print("Report \(identifier) \(year), version \(report.version) (sha256 \(report.digest.prefix(16))…): \(files.map(\.0).joined(separator: ", ")) in \(out)")
            if previous == nil { print("No report of \(year - 1) to compare with: build it too for the year-on-year comparison.") }
        }
    }
}
