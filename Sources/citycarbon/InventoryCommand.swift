import ArgumentParser
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import CityProgramme
import Foundation

extension InventoryLayout: ExpressibleByArgument {}

struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Compute, show and export GPC inventories.",
        subcommands: [Compute.self, Show.self, Export.self, List.self, Publish.self, Withdraw.self]
    )

    struct ReportOptions: ParsableArguments {
        @Option(help: "The inventory year (default: the latest year in the data).")
        var year: Int?

        @Option(help: "table, json or csv (the GPC reporting layout).")
        var format: OutputFormat = .table

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        @Flag(help: "Start the CSV with a UTF-8 byte-order mark, so Excel opens its Chinese text as it is.")
        var bom = false

        @Flag(help: "Write the layout as an XLSX workbook (needs --output).")
        var xlsx = false

        @Option(help: "The CSV or workbook layout: gpc (GPC reporting, every jurisdiction), ciris (C40 CIRIS / eCRF inventory sheet) or cdp (CDP-ICLEI cities emissions table).")
        var layout: InventoryLayout = .gpc

        @Option(help: "The area the ciris and cdp layouts report (default: the city at the top of the tree).")
        var jurisdiction: String?

        func validate() throws {
            if xlsx && output == nil { throw ValidationError("--xlsx writes a workbook: give the file with --output") }
            if bom && (format != .csv || xlsx) { throw ValidationError("--bom applies to --format csv") }
            if layout != .gpc && format != .csv && !xlsx { throw ValidationError("--layout applies to --format csv and --xlsx") }
        }

        func emit(_ inventory: Inventory) throws {
            guard let latest = inventory.years.last else { throw CLIFailure.input("the inventory is empty") }
            let chosen = year ?? latest
            guard inventory.years.contains(chosen) else {
                throw CLIFailure.input("no data for \(chosen); the data has \(inventory.years.map(String.init).joined(separator: ", "))")
            }
            if xlsx, let output {
                if let jurisdiction, !inventory.jurisdictions.contains(where: { $0.name == jurisdiction }) {
                    throw CLIFailure.input("'\(jurisdiction)' is not a jurisdiction of the inventory")
                }
                let bytes = try InventoryExport.xlsx(inventory, year: chosen, layout: layout, jurisdiction: jurisdiction)
                guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                    throw CLIFailure.input("cannot write \(output)")
                }
                Terminal.note("Wrote \(output).")
                return
            }
            if let jurisdiction, !inventory.jurisdictions.contains(where: { $0.name == jurisdiction }) {
                throw CLIFailure.input("'\(jurisdiction)' is not a jurisdiction of the inventory")
            }
            let body: String = switch format {
            case .json: InventoryExport.json(inventory, year: chosen).serialized(pretty: true) + "\n"
            case .csv: InventoryExport.csv(inventory, year: chosen, layout: layout, jurisdiction: jurisdiction)
            case .table: InventoryTable.render(inventory, year: chosen)
            }
            let text = (bom ? "\u{FEFF}" : "") + body
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                    throw CLIFailure.input("cannot write \(output)")
                }
                Terminal.note("Wrote \(output).")
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }

    struct Compute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute an inventory from an activity CSV, or from the workspace's stored activity data.",
            discussion: """
            With --activities the file is read, checked and computed in memory: no workspace is
            needed and nothing is stored. Without it, the workspace's rows are computed and the
            result is stored with its provenance (factor sets, GWP set, input fingerprint).
            """
        )

        @Option(help: ArgumentHelp("An activity CSV to compute directly (- for standard input).", valueName: "file"))
        var activities: String?

        @Option(help: ArgumentHelp("With --activities: a jurisdiction tree CSV (name, level, parent, code) to roll districts up.", valueName: "file"))
        var jurisdictions: String?

        @Option(help: ArgumentHelp("With --activities: a custom factor set CSV, as NAME=FILE or FILE (named after the file). Repeatable.", valueName: "set"))
        var factors: [String] = []

        @Option(help: "GWP set: SAR, AR4, AR5 or AR6 (default: the year's set as computed before, else the city settings').")
        var gwp: GWPChoice?

        @OptionGroup var report: ReportOptions
        @OptionGroup var workspace: WorkspaceOptions

        func validate() throws {
            if activities == nil, jurisdictions != nil || !factors.isEmpty {
                throw ValidationError("--jurisdictions and --factors go with --activities; a workspace has its own")
            }
        }

        func run() throws {
            let inventory: Inventory
            if let activities {
                let set = try GasCatalog.standard.gwpSet(gwp?.rawValue ?? CitySettings.standard.gwp)
                var library = FactorLibrary.standard
                for spec in factors {
                    let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                    let path = parts.count == 2 ? parts[1] : spec
                    let name = parts.count == 2 ? parts[0] : (FileInput.name(path) as NSString).deletingPathExtension
                    let table = try FileInput.read(path).withUnsafeBufferPointer { b throws(InputErrors) in try ReferenceTable(name: FileInput.name(path), bytes: b) }
                    do { try library.add(try FactorSet.parse(table, name: name, source: FileInput.name(path))) }
                    catch let error as FactorLookupError { throw CLIFailure.usage(error.description) }
                }
                var tree: JurisdictionTree?
                if let jurisdictions {
                    let db = try CityCarbonDatabase()
                    _ = try JurisdictionRepository(db).importCSV(try FileInput.read(jurisdictions), file: FileInput.name(jurisdictions))
                    tree = try JurisdictionRepository(db).tree()
                }
                let bytes = try FileInput.read(activities)
                let validated = try ActivityCSV.read(bytes, file: FileInput.name(activities), library: library, jurisdictions: tree)
                inventory = try InventoryEngine.compute(validated, gwp: set, library: library, jurisdictions: tree)
            } else {
                let database = try workspace.open()
                let name = try gwp?.rawValue ?? report.year.map { try InventoryRepository(database).gwpName(year: $0) }
                    ?? CitySettingsRepository(database).current().gwp
                inventory = try InventoryRepository(database).compute(year: report.year, gwp: try GasCatalog.standard.gwpSet(name), actor: workspace.who)
            }
            try report.emit(inventory)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show or export the latest stored inventory of a year.")

        @OptionGroup var report: ReportOptions
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let repository = InventoryRepository(try workspace.open())
            guard let inventory = try repository.latest(year: report.year) else {
                let what = report.year.map { "for \($0)" } ?? "yet"
                throw CLIFailure.input("no inventory computed \(what): run `citycarbon inventory compute` first")
            }
            try report.emit(inventory)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a stored inventory in a layout other tools import: gpc, ciris or cdp, as CSV or XLSX.",
            discussion: """
            The same numbers in each layout. gpc: a row per GPC reference and jurisdiction (its own
            rows, then each area with the jurisdictions below it). ciris: the inventory sheet of C40's
            CIRIS workbook (eCRF column names) for the city's whole area. cdp: the CDP-ICLEI cities
            table of direct, grid-energy and outside-boundary emissions by sub-sector. Sources with
            nothing given are NE, said to be so. Read a gpc or ciris file back with
            `citycarbon import activities FILE --layout gpc|ciris`.
            """
        )

        @Option(help: "gpc, ciris or cdp.") var layout: InventoryLayout = .gpc
        @Option(help: "The inventory year (default: the latest).") var year: Int?
        @Option(help: "The area the ciris and cdp layouts report (default: the city at the top of the tree).") var jurisdiction: String?
        @Flag(help: "Export what the public sees: the published inventory of the year.") var published = false
        @Flag(help: "Write an XLSX workbook (needs --output).") var xlsx = false
        @Flag(help: "Start the CSV with a UTF-8 byte-order mark, so Excel opens its Chinese text as it is.") var bom = false
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let database = try workspace.open()
            let inventory: Inventory?
            if published {
                let years = try PublicationRepository(database).publishedYears()
                guard let chosen = year ?? years.last, years.contains(chosen) else {
                    throw CLIFailure.input(years.isEmpty ? "no year is published yet: citycarbon inventory publish --year YEAR"
                                           : "\(year.map(String.init) ?? "") is not published; published: \(years.map(String.init).joined(separator: ", "))")
                }
                inventory = try PublicationRepository(database).publishedInventoryID(year: chosen).flatMap { try InventoryRepository(database).inventory(id: $0) }
            } else {
                inventory = try InventoryRepository(database).latest(year: year)
            }
            guard let inventory else { throw CLIFailure.input("no inventory computed \(year.map { "for \($0)" } ?? "yet"): run `citycarbon inventory compute` first") }
            var options = try ReportOptions.parse([])
            (options.year, options.format, options.output, options.bom, options.xlsx, options.layout, options.jurisdiction) =
                (year, .csv, output, bom, xlsx, layout, jurisdiction)
            try options.validate()
            try options.emit(inventory)
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish the latest computed inventory of a year: the public pages and API then show it.")

        @Option(help: "The year to publish.")
        var year: Int

        @Option(help: "Sign the audit chain's head after publishing with this key file (citycarbon audit key).")
        var auditKey: String?

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let key = try auditKey.map(AuditKey.load)
            try PublicationRepository(try workspace.open()).publish(year: year, by: workspace.who, key: key)
            print("Published the \(year) inventory." + (key == nil ? "" : " The audit head is signed."))
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw a year from public view (nothing is deleted).")

        @Option(help: "The year to withdraw.")
        var year: Int

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            if try PublicationRepository(try workspace.open()).withdraw(year: year, by: workspace.who) {
                print("Withdrew the \(year) inventory from public view.")
            } else {
                throw CLIFailure.input("\(year) was not published")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the stored inventories, one line per year.")

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let rows = try InventoryRepository(try workspace.open()).list()
            if rows.isEmpty { print("No inventory computed yet."); return }
            let published = Set(try PublicationRepository(try workspace.open()).publishedYears())
            print(TextTable.render(header: ["Year", "GWP", "BASIC tCO2e", "BASIC+ tCO2e", "Computed", "Published", "Input fingerprint"],
                                   rows: rows.map { [String($0.year), $0.gwp, TextTable.number($0.basic), TextTable.number($0.basicPlus),
                                                     $0.computedAt, published.contains($0.year) ? "yes" : "no", String($0.fingerprint.prefix(19))] },
                                   rightAligned: [2, 3]))
        }
    }
}
