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
        enterprises.csv: credit_code,name,industry,jurisdiction,listed,state_owned,discloses (the
        unified social credit code is checked; industry is a GB/T 4754-2017 class of four digits;
        discloses: yes for one that is neither listed nor state-owned but chooses to disclose).
        sources.csv: credit_code,facility,facility_name,monitoring_site,source,kind,fuel,datastreams,
        unit_class,cooling (kind: combustion, process, purchased_electricity, purchased_heat;
        datastreams separated by ;; unit_class: the power benchmark class of an allocated unit).
        enterprise-years.csv: credit_code,year,value_added_10k_cny,output,output_unit,energy_co2_t.
        evidence.csv: one row per batch (see `citycarbon enterprises evidence --help`).
        """,
        subcommands: [Import.self, List.self, Years.self, Evidence.self, Grades.self]
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

    struct Years: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load enterprises' value added, output and energy CO2 by year (enterprise-years.csv): all rows or none.")
        @Argument(help: "enterprise-years.csv") var file: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let count = try CarbonAccounts(try workspace.open()).importYears(try FileInput.read(file), file: FileInput.name(file), actor: workspace.who)
            print("Enterprise years: \(count) added or replaced.")
        }
    }

    struct Evidence: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deposit months of evidence in bulk: all rows or none.",
            discussion: """
            evidence.csv: \(EvidenceSheet.columns.joined(separator: ",")).
            One row per batch; a month's generation, supply, heat, hours and load factor on any of
            its rows (the same wherever repeated). A month already deposited is replaced.
            """)
        @Argument(help: "evidence.csv") var file: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let count = try EmissionReports(try workspace.open()).depositSheet(try FileInput.read(file), file: FileInput.name(file), by: workspace.who)
            print("Months deposited: \(count).")
        }
    }

    struct Grades: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The carbon-efficiency grades of a year (碳效码), with the trend and the supervision list.")
        @Option(help: "The year graded.") var year: Int
        @Flag(help: "Only the enterprises the city supervises closely.") var supervision = false
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let assessment = try CarbonAccounts(try workspace.open()).efficiency(year: year)
            let results = supervision ? assessment.supervisionList : assessment.results
            func number(_ value: Double?, _ digits: Int) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "—" }
            print(TextTable.render(header: ["Credit code", "Name", "Industry", "Basis", "t CO2", "L t/10⁴ CNY", "Industry L", "K", "Grade", "Trend"],
                                   rows: results.map { r in
                [r.input.enterprise, r.input.name, r.input.industry, r.input.basis.rawValue, number(r.input.co2, 0), number(r.input.intensity, 3),
                 number(r.industryIntensity, 3), number(r.ratio, 2), r.grade.map(String.init) ?? "not graded", r.trend?.rawValue ?? ""]
            }, rightAligned: [4, 5, 6, 7]))
        }
    }
}
