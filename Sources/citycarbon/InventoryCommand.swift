import ArgumentParser
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation

struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Compute, show and export GPC inventories.",
        subcommands: [Compute.self, Show.self, List.self, Publish.self, Withdraw.self]
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

        @Flag(help: "Write the GPC reporting layout as an XLSX workbook (needs --output).")
        var xlsx = false

        func validate() throws {
            if xlsx && output == nil { throw ValidationError("--xlsx writes a workbook: give the file with --output") }
            if bom && (format != .csv || xlsx) { throw ValidationError("--bom applies to --format csv") }
        }

        func emit(_ inventory: Inventory) throws {
            guard let latest = inventory.years.last else { throw CLIFailure.input("the inventory is empty") }
            let chosen = year ?? latest
            guard inventory.years.contains(chosen) else {
                throw CLIFailure.input("no data for \(chosen); the data has \(inventory.years.map(String.init).joined(separator: ", "))")
            }
            if xlsx, let output {
                guard FileManager.default.createFile(atPath: output, contents: Data(try InventoryExport.xlsx(inventory, year: chosen))) else {
                    throw CLIFailure.input("cannot write \(output)")
                }
                Terminal.note("Wrote \(output).")
                return
            }
            let body: String = switch format {
            case .json: InventoryExport.json(inventory, year: chosen).serialized(pretty: true) + "\n"
            case .csv: InventoryExport.csv(inventory, year: chosen)
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

        @Option(help: "GWP set: SAR, AR4, AR5 or AR6.")
        var gwp: GWPChoice = .AR5

        @OptionGroup var report: ReportOptions
        @OptionGroup var workspace: WorkspaceOptions

        func validate() throws {
            if activities == nil, jurisdictions != nil || !factors.isEmpty {
                throw ValidationError("--jurisdictions and --factors go with --activities; a workspace has its own")
            }
        }

        func run() throws {
            let set = try GasCatalog.standard.gwpSet(gwp.rawValue)
            let inventory: Inventory
            if let activities {
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
                inventory = try InventoryRepository(try workspace.open()).compute(year: report.year, gwp: set, actor: workspace.who)
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
