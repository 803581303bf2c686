import ArgumentParser
import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation

/// `citycarbon monitor …`: the registry of sites and meters, settings, alerts, gaps, reconciliation.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Register sites and meters, look at alerts and gaps, reconcile meters with the inventory.",
        subcommands: [Sites.self, Datastreams.self, FactorSeries.self, Config.self, Rollups.self, Alerts.self, Scan.self, Gaps.self, Reconcile.self]
    )

    struct Sites: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or update sites from a CSV: key,name,kind,use,jurisdiction,organisation,gpc_ref[,floor_area_m2,annual_output,output_unit].",
            discussion: "kind: building, facility, community, construction_site or district. gpc_ref: the GPC sub-sector of its energy (I.1 residential, I.2 commercial, I.3 industry …). Without a file, lists the sites.")
        @Argument(help: ArgumentHelp("The sites CSV, or - for standard input.", valueName: "file")) var file: String?
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let registry = MonitoringRegistry(try workspace.open())
            if let file {
                let result = try registry.importSites(try FileInput.read(file), file: FileInput.name(file), actor: workspace.who)
                print("Sites: \(result.added) added, \(result.updated) updated.")
                return
            }
            let rows = try registry.sites().map { s in
                [s.site.key, s.site.name, s.site.kind.rawValue, s.site.use, s.site.jurisdiction, s.site.organisation, s.site.gpcRef,
                 s.site.floorAreaM2.map { GroupedNumber.format($0, decimals: 0) } ?? "", "\(s.datastreams)"]
            }
            print(TextTable.render(header: ["key", "name", "kind", "use", "jurisdiction", "organisation", "gpc", "m²", "streams"], rows: rows))
        }
    }

    struct Datastreams: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or update datastreams from a CSV: key,site,quantity,unit,kind,interval_s[,multiplier,rollover_at,max_per_hour,factor_set].",
            discussion: "quantity: \(MeterQuantityCatalog.standard.keys.joined(separator: ", ")). kind: interval, cumulative (a register) or instantaneous (a state). Without a file, lists them.")
        @Argument(help: ArgumentHelp("The datastreams CSV, or - for standard input.", valueName: "file")) var file: String?
        @Option(help: "List only this site's datastreams.") var site: String?
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let registry = MonitoringRegistry(try workspace.open())
            if let file {
                let result = try registry.importDatastreams(try FileInput.read(file), file: FileInput.name(file), actor: workspace.who)
                print("Datastreams: \(result.added) added, \(result.updated) updated.")
                return
            }
            let rows = try registry.datastreams(site: site).map { d in
                [d.datastream.key, d.datastream.siteKey, d.datastream.quantity, d.datastream.unit, d.datastream.kind.rawValue,
                 "\(d.datastream.intervalSeconds)", d.lastTime.map(Timestamp.iso) ?? "—", "\(d.id)"]
            }
            print(TextTable.render(header: ["key", "site", "quantity", "unit", "kind", "interval s", "last reading", "@iot.id"], rows: rows))
        }
    }

    struct FactorSeries: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "factor-series",
            abstract: "Import an hourly or daily grid factor series (time,kg_per_kwh) that prices electricity in the hours it covers.")
        @Argument(help: ArgumentHelp("The series CSV.", valueName: "file")) var file: String
        @Option(help: "The series' name.") var name: String
        @Option(help: "Where the numbers come from: publisher, document, year.") var source: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let series = try MonitoringRegistry(try workspace.open()).importFactorSeries(try FileInput.read(file), file: FileInput.name(file),
                                                                                       name: name, source: source, actor: workspace.who)
            print("Series \(series.name): \(series.kgPerUnit.count) \(series.stepHours == 1 ? "hourly" : "daily") factors from \(Timestamp.iso(series.startHour * 3600)).")
        }
    }

    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show or change the monitoring settings (UTC offset, grid series, fuel factor set, GWP).")
        @Option(help: "The city's offset from UTC in minutes (480 for China).") var utcOffset: Int?
        @Option(help: "The grid series that prices electricity year by year (e.g. cn_east).") var gridSeries: String?
        @Option(help: "The factor set that prices fuels (IPCC2006, CN2011, a custom set).") var fuelFactorSet: String?
        @Option(help: "The GWP set (AR5, AR6 …).") var gwp: String?
        @Option(help: "The earliest reading accepted (ISO 8601, e.g. 2010-01-01T00:00:00Z).") var earliestReading: String?
        @Option(help: "How many hours ahead of the server's clock a reading may be stamped.") var maxAheadHours: Int?
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let registry = MonitoringRegistry(try workspace.open())
            var config = try registry.config()
            if utcOffset != nil || gridSeries != nil || fuelFactorSet != nil || gwp != nil || earliestReading != nil || maxAheadHours != nil {
                if let earliestReading {
                    guard let t = Timestamp.parse(earliestReading) else {
                        throw InputErrors([InputIssue(InputLocation(field: "--earliest-reading"), value: earliestReading, reason: "is not an ISO 8601 time")])
                    }
                    config.window.earliest = t
                }
                if let maxAheadHours {
                    guard (0...8784).contains(maxAheadHours) else {
                        throw InputErrors([InputIssue(InputLocation(field: "--max-ahead-hours"), value: "\(maxAheadHours)", reason: "must be 0 to 8784 (a year)")])
                    }
                    config.window.maxAheadSeconds = Int64(maxAheadHours) * 3600
                }
                config.utcOffsetMinutes = utcOffset ?? config.utcOffsetMinutes
                config.gridSeries = gridSeries ?? config.gridSeries
                config.fuelFactorSet = fuelFactorSet ?? config.fuelFactorSet
                config.gwp = gwp ?? config.gwp
                try registry.setConfig(config, actor: workspace.who)
            }
            print("utc offset: \(config.utcOffsetMinutes) min\ngrid series: \(config.gridSeries)\nfuel factor set: \(config.fuelFactorSet)\ngwp: \(config.gwp)"
                  + "\nreadings accepted from \(Timestamp.iso(config.window.earliest)) to \(config.window.maxAheadSeconds / 3600) h ahead of the clock")
        }
    }

    struct Rollups: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Metered emissions and consumption by city, district, sector, organisation or site, by hour, day or month.")
        @Option(help: "city, district, sector, organisation or site.") var level: String = "district"
        @Option(help: "hour, day or month.") var period: String = "day"
        @Option(help: "First local day (2026-11-01).") var from: String
        @Option(help: "Last local day (default: from).") var to: String?
        @Option(help: "table, json or csv.") var format: OutputFormat = .table
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard let level = MonitoringRollups.Level(rawValue: level) else { throw CLIFailure.usage("--level is one of \(MonitoringRollups.Level.allCases.map(\.rawValue).joined(separator: ", "))") }
            guard let period = MonitoringRollups.Period(rawValue: period) else { throw CLIFailure.usage("--period is hour, day or month") }
            guard let first = Day(from) else { throw CLIFailure.usage("--from \(from) is not a day (2026-11-25)") }
            guard let last = Day(to ?? from) else { throw CLIFailure.usage("--to \(to ?? "") is not a day (2026-11-25)") }
            let rows = try MonitoringRollups(try workspace.open()).rows(level: level, period: period, from: first, to: last)
            let quantities = Array(Set(rows.flatMap { $0.consumption.keys })).sorted()
            let units = quantities.map { "\($0) (\(MeterQuantityCatalog.standard[$0]?.defaultUnit ?? ""))" }
            switch format {
            case .json:
                print(JSONValue.array(rows.map { r in .object([("key", .string(r.key)), ("period", .string(r.period)), ("kg_co2e", .number(r.kgCO2e)),
                                                            ("readings", .integer(r.readings)),
                                                            ("consumption", .object(r.consumption.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }))]) }).serialized(pretty: true))
            case .csv:
                print((["period", level.rawValue, "kg_co2e", "readings"] + units).joined(separator: ","))
                for r in rows { print(([r.period, r.key, JSONValue.format(r.kgCO2e), "\(r.readings)"] + quantities.map { r.consumption[$0].map(JSONValue.format) ?? "" }).joined(separator: ",")) }
            case .table:
                print(TextTable.render(header: ["period", level.rawValue, "t CO2e", "readings"] + units, rows: rows.map { r in
                    [r.period, r.key, GroupedNumber.format(r.kgCO2e / 1000, decimals: 3), "\(r.readings)"] + quantities.map { r.consumption[$0].map { GroupedNumber.format($0, decimals: 1) } ?? "" }
                }))
            }
        }
    }

    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List alerts (open ones unless --all), for one organisation or site.")
        @Option(help: "Only this organisation's sites.") var organisation: String?
        @Option(help: "Only this site.") var site: String?
        @Flag(help: "Acknowledged ones too.") var all = false
        @Option(help: "Acknowledge the alert with this id.") var acknowledge: Int64?
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let repository = MonitoringRepository(try workspace.open())
            if let acknowledge {
                guard try repository.acknowledge(alert: acknowledge, organisation: organisation, actor: workspace.who) else {
                    throw CLIFailure.input("no alert \(acknowledge)\(organisation.map { " of \($0)" } ?? "")")
                }
                print("Alert \(acknowledge) acknowledged.")
                return
            }
            let rows = try repository.alerts(organisation: organisation, site: site, status: all ? nil : "open").map { a in
                ["\(a.id)", a.kind.rawValue, a.site, a.datastream, Timestamp.iso(a.from), Timestamp.iso(a.to),
                 a.observed.map { JSONValue.format($0) } ?? "", a.expected.map { JSONValue.format($0) } ?? "", a.status]
            }
            print(TextTable.render(header: ["id", "kind", "site", "datastream", "from", "to", "observed", "expected", "status"], rows: rows))
        }
    }

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Look for spikes, flat lines and silent meters now; new findings become alerts.")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let found = try MonitoringRepository(try workspace.open()).scan()
            print("\(found) new alert\(found == 1 ? "" : "s").")
        }
    }

    struct Gaps: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Gaps in one datastream's readings between two times.")
        @Argument(help: "The datastream's key.") var datastream: String
        @Option(help: "From (ISO 8601 with a zone).") var from: String
        @Option(help: "To (ISO 8601 with a zone; default now).") var to: String?
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard let start = Timestamp.parse(from) else { throw CLIFailure.usage("--from \(from) is not an ISO 8601 time with a zone") }
            let end = try to.map { text -> UnixSeconds in
                guard let t = Timestamp.parse(text) else { throw CLIFailure.usage("--to \(text) is not an ISO 8601 time with a zone") }
                return t
            } ?? UnixSeconds(Date().timeIntervalSince1970)
            guard let gaps = try MonitoringRepository(try workspace.open()).gaps(datastream: datastream, from: start, to: end) else {
                throw CLIFailure.input("no datastream \(datastream)")
            }
            if gaps.isEmpty { print("No gaps."); return }
            print(TextTable.render(header: ["from", "to", "missing readings"], rows: gaps.map { [Timestamp.iso($0.from), Timestamp.iso($0.to), "\($0.missing)"] }))
        }
    }

    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Metered consumption and emissions of a year by district and GPC row, beside the published inventory.",
            discussion: "With --activities, prints the year's metered consumption as an activity CSV for `citycarbon import activities`.")
        @Option(help: "The year.") var year: Int
        @Flag(help: "Print activity rows instead of the comparison.") var activities = false
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let reconciliation = MonitoringReconciliation(try workspace.open())
            if activities { print(try reconciliation.activityCSV(year: year), terminator: ""); return }
            let rows = try reconciliation.rows(year: year).map { r in
                [r.jurisdiction, r.gpcRef, r.fuel, GroupedNumber.format(r.consumption, decimals: 1) + " " + r.unit, GroupedNumber.format(r.tonnes, decimals: 3),
                 r.inventoryTonnes.map { GroupedNumber.format($0, decimals: 3) } ?? "not published", r.coverage.map { String(format: "%.1f %%", $0 * 100) } ?? "—"]
            }
            print(TextTable.render(header: ["jurisdiction", "gpc", "fuel", "metered", "t CO2e", "inventory t CO2e", "covered"], rows: rows))
        }
    }
}
