import ArgumentParser

struct CityCarbon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citycarbon",
        abstract: "CityCarbon: a city's greenhouse-gas inventory, targets, plans and pathways.",
        discussion: """
        Compute a GPC inventory straight from an activity CSV:
          citycarbon inventory compute --activities activities.csv --gwp AR5
        Or keep a workspace database:
          citycarbon init
          citycarbon import jurisdictions districts.csv
          citycarbon import activities activities.csv
          citycarbon inventory compute --year 2022
          citycarbon inventory show --year 2022
          citycarbon inventory publish --year 2022
          citycarbon serve --demo

        Exit status: 0 success, 1 the input has errors (all are printed), 2 wrong usage.
        """,
        version: "0.1.0",
        subcommands: [InitCommand.self, ImportCommand.self, InventoryCommand.self, FactorsCommand.self, PlanCommand.self, IndicatorCommand.self, StatisticsCommand.self, CityCommand.self, TargetCommand.self, AssessmentCommand.self, PilotCommand.self, ReportCommand.self, PathwayCommand.self, IngestCommand.self, MonitorCommand.self, ServeCommand.self, AirCommand.self, AccountCommand.self, KeyCommand.self,
                      EnterpriseCommand.self, RegistryCommand.self, InclusionCommand.self, AuditCommand.self, BenchCommand.self]
    )
}

/// A failure the CLI reports in one line: a usage mistake (exit 2) or a problem with input (exit 1).
struct CLIFailure: Error {
    let message: String
    let usage: Bool

    static func usage(_ message: String) -> CLIFailure { CLIFailure(message: message, usage: true) }
    static func input(_ message: String) -> CLIFailure { CLIFailure(message: message, usage: false) }
}
