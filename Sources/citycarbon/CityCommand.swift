import ArgumentParser
import CarbonKit
import CityCarbonStore
import CityProgramme

/// `citycarbon city show|set`: the city's settings, which every computation reads.
struct CityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "city",
        abstract: "The city's settings: names, UTC offset, currency, GWP set, factor sets, grid series, headline level.",
        subcommands: [Show.self, Set.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every setting and its value.")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let settings = try CitySettingsRepository(try workspace.open()).current()
            print(TextTable.render(header: ["Setting", "Value"], rows: settings.lines.map { [$0.key, $0.value] }))
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change settings: KEY VALUE pairs, all or none (an empty VALUE clears an optional one).",
            discussion: """
            Keys: \(CitySettings.keys.joined(separator: ", ")).
            Examples:
              citycarbon city set name.zh-Hans 杭州市 name.en Hangzhou utc_offset +08:00
              citycarbon city set factor_set CN2011 grid_series cn_east headline_level basic
            """
        )

        @Argument(help: ArgumentHelp("KEY VALUE pairs.", valueName: "key value"))
        var pairs: [String]

        @OptionGroup var workspace: WorkspaceOptions

        func validate() throws {
            guard !pairs.isEmpty, pairs.count % 2 == 0 else { throw ValidationError("give KEY VALUE pairs, e.g. city set gwp AR6") }
        }

        func run() throws {
            let changes = stride(from: 0, to: pairs.count, by: 2).map { (key: pairs[$0], value: pairs[$0 + 1]) }
            let settings = try CitySettingsRepository(try workspace.open()).set(changes, actor: workspace.who)
            let changed = Swift.Set(changes.map(\.key))
            print(TextTable.render(header: ["Setting", "Value"], rows: settings.lines.filter { changed.contains($0.key) }.map { [$0.key, $0.value] }))
        }
    }
}
