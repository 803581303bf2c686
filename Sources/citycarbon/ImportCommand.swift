import ArgumentParser
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import data into the workspace: all of a file, or nothing.",
        subcommands: [Activities.self, Jurisdictions.self, Statistics.self, Boundaries.self, Factors.self]
    )

    struct Statistics: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import statistics by jurisdiction and year: population, GDP, gdp_unit, source and optional columns (constant-price GDP, value added, energy use, floor area, deaths).",
            discussion: """
            All rows or none; a jurisdiction and year already held is replaced. The rows are a
            draft until published (citycarbon statistics publish). `deaths` (all causes, a whole
            number, at most the population) is the baseline of the health co-benefit by district.
            """
        )

        @Argument(help: ArgumentHelp("The CSV file, or - for standard input.", valueName: "file"))
        var file: String

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let database = try workspace.open()
            let count = try StatisticsRepository(database).importCSV(try FileInput.read(file), file: FileInput.name(file), actor: workspace.who)
            let pending = try StatisticsRepository(database).unpublishedChanges()
            print("Imported \(count) statistics rows from \(FileInput.name(file)). \(pending) jurisdiction-years differ from what the public sees.")
        }
    }

    struct Boundaries: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import jurisdiction boundaries from a GeoJSON FeatureCollection (RFC 7946, WGS 84).",
            discussion: """
            Each feature names its jurisdiction by properties.name, or by its code in properties.code
            or properties.adcode. Polygons and MultiPolygons only; every ring must close and no ring may
            cross itself or another ring of its polygon. Rings may be wound either way: they are stored
            and served exterior counter-clockwise, holes clockwise (RFC 7946 §3.1.6). All features or
            none; a jurisdiction's earlier boundary is replaced.
            """
        )

        @Argument(help: ArgumentHelp("The GeoJSON file, or - for standard input.", valueName: "file"))
        var file: String

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let count = try BoundaryRepository(try workspace.open()).importGeoJSON(try FileInput.read(file), file: FileInput.name(file), actor: workspace.who)
            print("Imported \(count) boundar\(count == 1 ? "y" : "ies") from \(FileInput.name(file)).")
        }
    }

    struct Activities: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an activity CSV (year, jurisdiction, gpc_ref, fuel, amount, unit, …).",
            discussion: """
            Every error is printed with its row, column and value, and nothing is imported unless
            the whole file is valid. A (year, jurisdiction) that already has rows is refused
            unless --replace or --append says what to do with them.
            """
        )

        @Argument(help: ArgumentHelp("The CSV file, or - for standard input.", valueName: "file"))
        var file: String

        @Flag(help: "Replace the stored rows of every year and jurisdiction the file covers.")
        var replace = false

        @Flag(help: "Keep the stored rows and add these.")
        var append = false

        @Option(help: "Read an inventory exported in the gpc or ciris layout (citycarbon inventory export) as direct gas rows.")
        var layout: InventoryLayout?

        @Option(help: "With --layout ciris and no City column: the jurisdiction the rows are (default: the city at the top of the tree).")
        var jurisdiction: String?

        @Option(help: "With --layout: the GWP set the file's CO2e figures were computed with (default: the city settings').")
        var gwp: String?

        @OptionGroup var workspace: WorkspaceOptions

        func validate() throws {
            if replace && append { throw ValidationError("--replace and --append cannot be used together") }
            if layout == nil && (jurisdiction != nil || gwp != nil) { throw ValidationError("--jurisdiction and --gwp go with --layout") }
        }

        func run() throws {
            let database = try workspace.open()
            var bytes = try FileInput.read(file)
            var converted = FileInput.name(file)
            if let layout {
                let table = try ReferenceTable(name: converted, text: try ReferenceTable.text(of: bytes, file: converted))
                let set = try GasCatalog.standard.gwpSet(try gwp ?? CitySettingsRepository(database).current().gwp)
                let city = try jurisdiction ?? JurisdictionRepository(database).tree().roots.first
                bytes = Array(try LayoutImport.activityCSV(table, layout: layout, jurisdiction: city, gwp: set).utf8)
                // Rows of the converted file are not the sheet's rows: errors say so, and each row's note names its sheet row.
                converted += " (\(layout.rawValue) layout as activity rows)"
            }
            let name = converted
            let summary = try ActivityRepository(database).importCSV(
                bytes, file: name, existing: replace ? .replace : append ? .append : .refuse, actor: workspace.who,
                progress: { done, total in Terminal.progress("Importing \(name)", done: done, total: total) })
            var text = "Imported \(summary.rows) activity rows from \(name) (\(summary.years.map(String.init).joined(separator: ", ")))."
            if summary.replacedRows > 0 { text += " Replaced \(summary.replacedRows) earlier rows." }
            if !summary.createdJurisdictions.isEmpty {
                text += "\nNew jurisdictions: \(summary.createdJurisdictions.joined(separator: ", ")) (import a jurisdictions CSV to give them a tree)."
            }
            print(text)
        }
    }

    struct Jurisdictions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import or change the jurisdiction tree from a CSV with columns name, level, parent, code (and renamed_from).",
            discussion: """
            Levels: \(JurisdictionLevel.allCases.map(\.rawValue).joined(separator: ", ")). Districts roll up to their parent city.
            A new name is added; a held one takes the level, parent and code given (a district moves by naming its new parent).
            A row whose code is held, or whose renamed_from names a held jurisdiction, renames it: its data stays attached, and
            targets, indicators, scenarios, inventories and staff scopes take the new name; frozen reports and frozen
            assessments keep the name they were frozen with. All rows or none.
            """
        )

        @Argument(help: ArgumentHelp("The CSV file, or - for standard input.", valueName: "file"))
        var file: String

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let database = try workspace.open()
            let result = try JurisdictionRepository(database).importCSV(try FileInput.read(file), file: FileInput.name(file), actor: workspace.who)
            print("Jurisdictions: \(result.added) added, \(result.updated) updated, \(result.renamed.count) renamed.")
            for rename in result.renamed { print("  \(rename.from) → \(rename.to)") }
            if !result.renamed.isEmpty { print("\(result.rewrittenDocuments) stored documents and scopes now use the new names.") }
        }
    }

    struct Factors: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a custom factor set from CSV.",
            discussion: """
            Columns: fuel, quantity, value, unit, source (required); year, applies_to, technology,
            default, confidence, note. quantity is a gas (CO2, CH4_fossil, N2O, CO2e …) or a fuel
            property (ncv, density, carbon_content, oxidation). Activity rows use the set with
            factor_set=<name>.
            """
        )

        @Argument(help: ArgumentHelp("The CSV file.", valueName: "file"))
        var file: String

        @Option(help: "The set's name (default: the file name without .csv).")
        var name: String?

        @Option(help: "GPC quality rating of these factors for rows that give none (H, M, L).")
        var quality: String?

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let database = try workspace.open()
            var rating: DataQuality?
            if let quality {
                guard let q = DataQuality(rawValue: quality.uppercased()) else { throw CLIFailure.usage("--quality must be H, M or L") }
                rating = q
            }
            let setName = name ?? ((FileInput.name(file) as NSString).deletingPathExtension)
            let set = try FactorSetRepository(database).importCSV(try FileInput.read(file), file: FileInput.name(file), name: setName,
                                                                  quality: rating, actor: workspace.who)
            print("Factor set \(set.name): \(set.records.count) numbers for \(set.fuels.joined(separator: ", ")).")
        }
    }
}
