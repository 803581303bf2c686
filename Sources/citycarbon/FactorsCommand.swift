import ArgumentParser
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation

struct FactorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "factors",
        abstract: "Browse the factor library: built-in sets, grid series and custom sets.",
        subcommands: [List.self, Show.self]
    )

    struct LibraryOptions: ParsableArguments {
        @Option(help: ArgumentHelp("Include the custom sets of this workspace database.", valueName: "path"))
        var database: String?

        func library() throws -> FactorLibrary {
            guard let database else { return .standard }
            guard FileManager.default.fileExists(atPath: database) else { throw CLIFailure.usage("no workspace at \(database)") }
            return try FactorSetRepository(try CityCarbonDatabase(path: database)).library()
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the factor sets and grid electricity series.")

        @OptionGroup var options: LibraryOptions

        func run() throws {
            let library = try options.library()
            let sets = library.sets.values.filter { $0.kind != .grid }.sorted { $0.name < $1.name }
            print(TextTable.render(header: ["Set", "Kind", "Numbers", "Fuels", "Title"], rows: sets.map {
                [$0.name, $0.kind.rawValue, String($0.records.count), String($0.fuels.count), $0.title]
            }, rightAligned: [2, 3]))
            print("")
            let series = library.gridSeries.keys.sorted()
            print(TextTable.render(header: ["Grid series (factor_set grid:<series>:<year>)", "Years", "Region"], rows: series.map { s in
                let years = library.gridSeries[s] ?? []
                let region = library.sets["grid:\(s):\(years.last ?? 0)"]?.records.first?.note?.split(separator: ";").first.map(String.init) ?? ""
                return [s, years.map(String.init).joined(separator: " "), region]
            }))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every number of a factor set with its unit and source.",
            discussion: "Examples: citycarbon factors show IPCC2006 --fuel natural_gas; citycarbon factors show grid:cn_national:2022"
        )

        @Argument(help: "The set: IPCC2006, CN2011, grid:<series>:<year> or a custom set's name.")
        var name: String

        @Option(help: "Only this fuel.")
        var fuel: String?

        @Option(help: "table, json or csv.")
        var format: OutputFormat = .table

        @OptionGroup var options: LibraryOptions

        func run() throws {
            let library = try options.library()
            let set: FactorSet
            do { set = try library.set(named: name) } catch { throw CLIFailure.input(error.description) }
            var records = set.records
            if let fuel {
                records = records.filter { $0.fuel == fuel || $0.fuel == "*" }
                if records.isEmpty {
                    throw CLIFailure.input("\(set.name) has no numbers for \(fuel)" + (Suggestion.didYouMean(fuel, among: set.fuels).map { " (\($0))" } ?? ""))
                }
            }
            let columns = ["fuel", "applies_to", "technology", "quantity", "value", "unit", "year", "confidence", "source", "note"]
            let rows = records.map { r in
                [r.fuel, r.appliesTo.joined(separator: " "), r.technology.map { $0 + (r.isDefaultTechnology ? " (default)" : "") } ?? "",
                 r.quantity, JSONValue.format(r.value), r.unit, r.year.map(String.init) ?? "", r.confidence ?? "", r.source, r.note ?? ""]
            }
            switch format {
            case .table:
                print("\(set.name): \(set.title)\nMethod: \(set.method.isEmpty ? "-" : set.method)\nFingerprint: \(set.fingerprint)\n")
                print(TextTable.render(header: Array(columns.prefix(8)) + ["source"], rows: rows.map { Array($0.prefix(8)) + [$0[8]] }, rightAligned: [4]))
            case .csv:
                print(columns.joined(separator: ","))
                for row in rows { print(row.map(InventoryExport.csvField).joined(separator: ",")) }
            case .json:
                let items: [JSONValue] = rows.map { row in .object(zip(columns, row).map { ($0, $0 == "value" ? .number(Double($1) ?? 0) : .string($1)) }) }
                print(JSONValue.object([("name", .string(set.name)), ("title", .string(set.title)), ("kind", .string(set.kind.rawValue)),
                                        ("fingerprint", .string(set.fingerprint)), ("factors", .array(items))]).serialized(pretty: true))
            }
        }
    }
}
