import ArgumentParser
import CityCarbonStore
import Foundation

struct StatisticsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statistics",
        abstract: "Population, deaths, GDP (current and constant prices), energy use and floor area by jurisdiction and year: the drafts, and what the public sees.",
        discussion: "Import them with citycarbon import statistics.",
        subcommands: [List.self, Publish.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the statistics, and how many differ from the published ones.")

        @Flag(help: "Show what the public sees, rather than the drafts.")
        var published = false

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let repository = StatisticsRepository(try workspace.open())
            let rows = try repository.all(edition: published ? .published : .current)
            if rows.isEmpty { print("No statistics.") } else {
                print(TextTable.render(header: ["Jurisdiction", "Year", "Population", "Deaths", "GDP", "Unit", "Source"], rows: rows.map { s in
                    [s.jurisdiction, String(s.year), s.population.map { String(format: "%.0f", $0) } ?? "", s.deaths.map { String(format: "%.0f", $0) } ?? "",
                     s.gdp.map { "\($0)" } ?? "", s.gdpUnit ?? "", s.source ?? ""]
                }, rightAligned: [1, 2, 3, 4]))
            }
            let pending = try repository.unpublishedChanges()
            print(pending == 0 ? "The public sees these statistics." : "\(pending) jurisdiction-years are not published yet (citycarbon statistics publish).")
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish the statistics as they stand: per-capita and per-GDP figures, targets and pathways then use them.")

        @Option(help: "Sign the audit chain's head after publishing with this key file (citycarbon audit key).")
        var auditKey: String?

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let key = try auditKey.map(AuditKey.load)
            let changed = try StatisticsRepository(try workspace.open()).publish(by: workspace.who, key: key)
            print(changed == 0 ? "Nothing to publish: the public sees the statistics as they stand."
                  : "Published the statistics: \(changed) jurisdiction-years changed for the public." + (key == nil ? "" : " The audit head is signed."))
        }
    }
}
