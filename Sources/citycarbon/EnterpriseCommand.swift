import ArgumentParser
import CarbonKit
import CarbonMarkets
import CityCarbonStore
import Foundation

/// `citycarbon enterprises`: the key emitters the city supervises.
struct EnterpriseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enterprises",
        abstract: "The key emitters: enterprises, their facilities and emission sources.",
        discussion: """
        enterprises.csv: credit_code,name,industry,jurisdiction,listed,state_owned (the unified
        social credit code is checked; industry is a GB/T 4754-2017 class of four digits).
        sources.csv: credit_code,facility,facility_name,monitoring_site,source,kind,fuel,datastreams
        (kind: combustion, process, purchased_electricity, purchased_heat; datastreams separated by ;).
        """,
        subcommands: [Import.self, List.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add or update enterprises, and replace the facilities and sources of those the sources sheet names: all rows or none.")
        @Argument(help: "enterprises.csv") var file: String
        @Option(help: "sources.csv") var sources: String?
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let counts = try EnterpriseRepository(try workspace.open()).importSheets(
                enterprises: try FileInput.read(file), file: FileInput.name(file), sources: try sources.map(FileInput.read),
                sourcesFile: sources.map(FileInput.name) ?? "sources.csv", actor: workspace.who)
            print("Enterprises: \(counts.enterprises) added or updated; \(counts.sources) emission sources.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every enterprise with its covered sector and its facilities.")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let rule = ReportingObligation.standard
            print(TextTable.render(header: ["Credit code", "Name", "Industry", "Sector", "Jurisdiction", "Listed", "State-owned", "Facilities", "Sources"],
                                   rows: try EnterpriseRepository(try workspace.open()).all().map { e in
                [e.creditCode, e.name, e.industry, rule.sector(of: e.industry) ?? "—", e.jurisdiction, e.listed ? "yes" : "", e.stateOwned ? "yes" : "",
                 String(e.facilities.count), String(e.facilities.reduce(0) { $0 + $1.sources.count })]
            }, rightAligned: [7, 8]))
        }
    }
}
