import AirQuality
import ArgumentParser
import CarbonKit
import CityCarbonStore
import Foundation

/// `citycarbon air …`: the air-quality rules from the command line: the index of concentrations
/// under the standard in force on a day, the PurpleAir correction, a collocation fit judged against
/// EPA's targets, and the health impact of a change in concentration.
struct AirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "air",
        abstract: "Air quality: index by standard and date, sensor correction, collocation, health impact.",
        subcommands: [Sensor.self, Load.self, Feed.self, DayCommand.self, Standards.self, Index.self, Correct.self, Collocate.self, Calibrate.self,
                      Health.self]
    )

    struct Sensor: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The sensors of the city's air network.", subcommands: [Add.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Register a sensor (or change one with the same code).",
                discussion: "Example: citycarbon air sensor add pa-17 --name \"School gate\" --owner \"Clean Air NGO\" --model \"PurpleAir PA-II\" --grade low_cost --latitude 30.27 --longitude 120.15 --district North --correction epa-purpleair-2021"
            )
            @OptionGroup var workspace: WorkspaceOptions
            @Argument(help: "The sensor's code.") var code: String
            @Option(help: "Its name.") var name: String
            @Option(help: "The organisation that runs it.") var owner: String
            @Option(help: "Make and model.") var model: String
            @Option(help: "reference or low_cost.") var grade: AirSensor.Grade
            @Option(help: "WGS 84 latitude.") var latitude: Double
            @Option(help: "WGS 84 longitude.") var longitude: Double
            @Option(help: "outside or inside.") var placement: AirSensor.Placement = .outside
            @Option(help: "The district it stands in.") var district: String?
            @Option(help: "The correction of its PM2.5: epa-purpleair-2021, sensortoolkit-1.1 or epa-purpleair-2020.") var correction: String?

            func run() throws {
                try AirNetwork(try workspace.open()).register(AirSensor(
                    code: code, name: name, owner: owner, model: model, grade: grade, latitude: latitude, longitude: longitude,
                    placement: placement, district: district, correction: correction), by: workspace.who)
                print("Registered \(code).")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the sensors.")
            @OptionGroup var workspace: WorkspaceOptions

            func run() throws {
                print(TextTable.render(header: ["Sensor", "Name", "Owner", "Model", "Grade", "District", "Correction"],
                                       rows: try AirNetwork(try workspace.open()).sensors().map {
                    [$0.code, $0.name, $0.owner, $0.model, $0.grade.rawValue, $0.district ?? "", $0.correction ?? ""]
                }))
            }
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a CSV of hourly values: checked, corrected and stored with their flags.",
            discussion: "Columns: sensor, hour (2026-03-01T08:00:00+08:00), parameter (pm25 pm10 no2 o3 so2 co rh t), value, and value_b for a second PM channel."
        )
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The CSV file, or - for standard input.") var file: String

        func run() throws {
            let loaded = try AirNetwork(try workspace.open()).load(try FileInput.read(file), file: FileInput.name(file), by: workspace.who)
            print("Stored \(loaded.hours) hours: \(loaded.flagged) flagged, \(loaded.corrected) corrected.")
        }
    }

    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a kept PM2.5 collocation's fit its sensor's calibration, for the hours stored from now on.",
            discussion: "The collocations are on the office's air page (/staff/air). Example: citycarbon air calibrate 3"
        )
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The collocation's number.") var collocation: Int64

        func run() throws {
            let (calibration, changed) = try AirCollocations(try workspace.open()).apply(collocation, by: workspace.who)
            let sign = calibration.intercept < 0 ? "−" : "+"
            print("\(calibration.title): PM2.5 = \(String(format: "%.4f", calibration.pm)) × raw \(sign) \(String(format: "%.3f", abs(calibration.intercept))) µg/m³")
            print(changed ? "Hours stored from now on go through \(calibration.id) and name it." : "Already the sensor's calibration: nothing changed.")
        }
    }

    struct Feed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load another network's payload as one sensor's hours: OpenAQ v3, Sensor.Community or PurpleAir.",
            discussion: """
                openaq: a sensor's /v3/sensors/{id}/measurements or /hours answer. sensor-community: /airrohr/v1/sensor/{id}/.
                purpleair: /v1/sensors/{index}/history with time_stamp, pm2.5_cf_1_a, pm2.5_cf_1_b, humidity (and temperature, pm10.0_atm).
                Samples finer than an hour make the hour's mean when they cover 75 % of it.
                Example: citycarbon air feed purpleair history.json --sensor pa-17
                """
        )
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "openaq, sensor-community or purpleair.") var format: AirFeed.Format
        @Argument(help: "The JSON file, or - for standard input.") var file: String
        @Option(help: "The city's code of the sensor the payload is from.") var sensor: String
        @Option(help: "Seconds between the sensor's samples, when not its network's usual.") var sampleSeconds: Int?

        func run() throws {
            let result = try AirNetwork(try workspace.open()).load(feed: format, try FileInput.read(file), sensor: sensor, sampleSeconds: sampleSeconds,
                                                                   scope: .everything, by: workspace.who)
            print("Stored \(result.loaded.hours) hours of \(sensor): \(result.loaded.flagged) flagged, \(result.loaded.corrected) corrected.")
            if result.incompleteHours > 0 { print("Left out \(result.incompleteHours) hour(s) whose samples covered less than 75 % of them.") }
            if !result.skipped.isEmpty {
                print("Left out values the network does not keep: " + result.skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ".")
            }
        }
    }

    struct DayCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "day", abstract: "A day's index over the city's or a district's sensors, from the stored hours.")
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The day (YYYY-MM-DD), in the city's local time.") var day: String
        @Option(help: "Only this district's sensors.") var district: String?
        @Option(help: "CN or US: the family of standards.") var region = "CN"
        @Option(help: "A standard by id, to recompute a day under another version (e.g. hj633-2012 for a day after 1 March 2026).")
        var standard: String?

        func run() throws {
            guard let date = Day(day) else { throw InputErrors([InputIssue(InputLocation(field: "day"), value: day, reason: "is not a date YYYY-MM-DD")]) }
            let region = self.region.uppercased()
            if !AQIStandards.shipped.regions.contains(region) {
                throw InputErrors([InputIssue(InputLocation(field: "--region"), value: self.region, reason: "is not a region with an index",
                                              suggestion: AQIStandards.shipped.regions.joined(separator: ", "))])
            }
            let database = try workspace.open()
            if let district, !(try JurisdictionRepository(database).tree().contains(district)) {
                throw InputErrors([InputIssue(InputLocation(field: "--district"), value: district, reason: "is not a district of the city")])
            }
            if let standard, AQIStandards.shipped.standard(standard) == nil {
                throw InputErrors([InputIssue(InputLocation(field: "--standard"), value: standard, reason: "no such standard",
                                              suggestion: AQIStandards.shipped.standards.map(\.id).joined(separator: ", "))])
            }
            guard let found = try AirNetwork(database).day(date, district: district, region: region, standard: standard),
                  let index = found.index else {
                print("No complete day of any sensor\(district.map { " in \($0)" } ?? "") on \(day).")
                return
            }
            print("\(day)\(district.map { ", \($0)" } ?? ""): AQI \(index.value), \(index.category.en) / \(index.category.zh)"
                  + (index.primary.isEmpty ? "" : ", primary \(index.primary.joined(separator: ", "))") + " (\(index.standard), \(found.grade?.rawValue ?? "") sensors)")
            print(TextTable.render(header: ["Table", "Concentration", "IAQI", "Sensors"], rows: index.subIndices.map { sub in
                [sub.table, GroupedNumber.format(sub.concentration, decimals: 1), String(sub.value), (found.sensors[sub.table] ?? []).joined(separator: " ")]
            }, rightAligned: [1, 2]))
        }
    }

    struct Standards: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the index standards with their tables and the dates they are in force.")

        func run() {
            let standards = AQIStandards.shipped.standards
            print(TextTable.render(header: ["Standard", "Region", "In force", "Tables", "Issued by"], rows: standards.map {
                [$0.id, $0.region, "\($0.effective_from) – \($0.effective_to ?? "")", $0.tables.keys.sorted().joined(separator: " "),
                 "\($0.issuer), \($0.title) (\($0.year))"]
            }))
        }
    }

    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The air-quality index of concentrations under the standard in force on a day.",
            discussion: """
            Each concentration is TABLE=VALUE in the table's unit (citycarbon air standards lists them), e.g.
              citycarbon air index pm25_24h=70 pm10_24h=130 --region CN --date 2026-03-01
            gives 110 (轻度污染, PM2.5 primary) under HJ 633-2026; on 2026-02-28 HJ 633-2012 gives 94 (良).
            """
        )

        @Argument(help: ArgumentHelp("Concentrations as table=value.", valueName: "table=value")) var concentrations: [String]
        @Option(help: "CN or US: the family of standards.") var region = "CN"
        @Option(help: "The day the concentrations are for (YYYY-MM-DD); the standard in force that day is used.") var date: String?
        @Option(help: "A standard by id, instead of by region and date.") var standard: String?
        @Option(help: "realtime (hourly) or daily.") var kind: AirQualityIndex.Kind = .daily
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() throws {
            let standards = AQIStandards.shipped
            if format == .csv { throw InputErrors([InputIssue(InputLocation(field: "--format"), value: "csv", reason: "the index prints as table or json")]) }
            let region = self.region.uppercased()
            if standard == nil, !standards.regions.contains(region) {
                throw InputErrors([InputIssue(InputLocation(field: "--region"), value: self.region, reason: "is not a region with an index",
                                              suggestion: standards.regions.joined(separator: ", "))])
            }
            let day = date ?? Day.today.description
            guard Day(day) != nil else {
                throw InputErrors([InputIssue(InputLocation(field: "--date"), value: day, reason: "is not a date YYYY-MM-DD")])
            }
            guard let chosen = standard.map({ standards.standard($0) }) ?? standards.inForce(region: region, on: day) else {
                throw InputErrors([InputIssue(InputLocation(field: standard == nil ? "--region" : "--standard"), value: standard ?? region,
                                              reason: "no such standard in force on \(day)",
                                              suggestion: standards.standards.map(\.id).joined(separator: ", "))])
            }
            var values: [String: Double] = [:]
            var issues: [InputIssue] = []
            for (index, pair) in concentrations.enumerated() {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                let location = InputLocation(field: "concentration \(index + 1)")
                guard parts.count == 2 else { issues.append(InputIssue(location, value: pair, reason: "is not table=value")); continue }
                guard chosen.tables[parts[0]] != nil else {
                    issues.append(InputIssue(location, value: parts[0], reason: "is not a table of \(chosen.id)",
                                             suggestion: chosen.tables.keys.sorted().joined(separator: ", ")))
                    continue
                }
                // Decimal digits only: Swift's Double("0x10") is 16, and no one writes a concentration in hexadecimal.
                guard parts[1].utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 || $0 == 0x2B }),
                      let value = Double(parts[1]), value.isFinite, (0...100_000).contains(value) else {
                    issues.append(InputIssue(location, value: parts[1], reason: "is not a concentration (a decimal number from 0 to 100,000)"))
                    continue
                }
                if values[parts[0]] != nil {
                    issues.append(InputIssue(location, value: parts[0], reason: "is given twice"))
                    continue
                }
                values[parts[0]] = value
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            guard let index = AirQualityIndex.compute(values, standard: chosen, kind: kind) else {
                let refusals = chosen.tables.keys.compactMap { table -> String? in
                    guard let value = values[table], case let .failure(refusal) = AirQualityIndex.subIndex(table, value, standard: chosen, others: values)
                    else { return nil }
                    return refusal.description
                }
                throw InputErrors([InputIssue(InputLocation(field: "concentrations"), value: concentrations.joined(separator: " "),
                                              reason: "none is a table of the \(kind.rawValue) index of \(chosen.id)"
                                                  + (refusals.isEmpty ? "" : ": " + refusals.joined(separator: "; ")),
                                              suggestion: (kind == .daily ? chosen.daily : chosen.realtime).joined(separator: ", "))])
            }
            switch format {
            case .json:
                print(JSONValue.object([
                    ("standard", .string(chosen.id)), ("date", .string(day)), ("kind", .string(kind.rawValue)), ("aqi", .integer(index.value)),
                    ("category", .object([("level", .integer(index.category.level)), ("en", .string(index.category.en)),
                                          ("zh", .string(index.category.zh))])),
                    ("primary", .array(index.primary.map(JSONValue.string))),
                    ("sub_indices", .array(index.subIndices.map { sub in
                        .object([("table", .string(sub.table)), ("used_table", .string(sub.usedTable)), ("concentration", .number(sub.concentration)),
                                 ("iaqi", .integer(sub.value)), ("beyond_scale", .bool(sub.beyondScale))])
                    })),
                    ("cite", .string(chosen.citation)),
                ]).serialized())
            case .table, .csv:
                print("\(chosen.id) (\(kind.rawValue), \(day)): AQI \(index.value), \(index.category.en) / \(index.category.zh)"
                      + (index.primary.isEmpty ? "" : ", primary \(index.primary.joined(separator: ", "))"))
                print(TextTable.render(header: ["Table", "Concentration", "IAQI", "Note"], rows: index.subIndices.map {
                    [$0.table, GroupedNumber.format($0.concentration, decimals: 3), String($0.value),
                     $0.beyondScale ? "above the scale" : $0.usedTable != $0.table ? "indexed by \($0.usedTable)" : ""]
                }, rightAligned: [1, 2]))
                for (table, refusal) in index.skipped.sorted(by: { $0.key < $1.key }) { Terminal.note("\(table) not indexed: \(refusal)") }
                print("Source: \(chosen.citation)")
            }
        }
    }

    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Correct a PurpleAir PM2.5 reading (cf_1, A and B averaged) for humidity.")

        @Option(help: "The raw PM2.5 (µg/m³).") var pm: Double
        @Option(help: "The sensor's relative humidity (%).") var rh: Double
        @Option(help: "A correction version by id (default: the pinned one).") var version: String?

        func run() throws {
            let corrections = SensorCorrections.shipped
            guard let correction = version.map({ corrections.correction($0) }) ?? corrections.current else {
                throw InputErrors([InputIssue(InputLocation(field: "--version"), value: version, reason: "no such correction",
                                              suggestion: corrections.corrections.map(\.id).joined(separator: ", "))])
            }
            guard pm <= 1_000, let corrected = correction.apply(pm: pm, relativeHumidity: rh) else {
                throw InputErrors([InputIssue(InputLocation(field: "--pm, --rh"), value: "\(pm), \(rh)",
                                              reason: "a reading needs PM2.5 from 0 to 1,000 µg/m³ (the sensor's range) and humidity from 0 to 100 %")])
            }
            print(String(format: "%.2f µg/m³ (%@: %.3f·PM %+.4f·RH %+.2f)", corrected, correction.id, correction.pm, correction.rh, correction.intercept))
            print("Source: \(correction.source)")
        }
    }

    struct Collocate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a sensor against a reference monitor from a CSV and judge it by EPA's targets.",
            discussion: "The CSV has a header; --sensor and --reference name its columns. Empty cells are gaps."
        )

        @Argument(help: "The CSV file of collocated values.") var file: String
        @Option(help: "The sensor's column.") var sensor = "sensor"
        @Option(help: "The reference monitor's column.") var reference = "reference"
        @Option(help: "pm25 or o3: the targets to judge by.") var parameter = "pm25"

        func run() throws {
            guard let target = SensorTargets.shipped.target(parameter) else {
                throw InputErrors([InputIssue(InputLocation(field: "--parameter"), value: parameter, reason: "has no targets",
                                              suggestion: SensorTargets.shipped.targets.map(\.parameter).joined(separator: ", "))])
            }
            let name = FileInput.name(file)
            let table = try ReferenceTable(name: name, text: try ReferenceTable.text(of: try FileInput.read(file), file: name))
            try table.require([sensor, reference])
            if sensor == reference {
                throw InputErrors([InputIssue(InputLocation(field: "--reference"), value: reference, reason: "is the sensor's own column")])
            }
            var issues: [InputIssue] = []
            var sensorValues: [Double?] = [], referenceValues: [Double?] = []
            for row in table.rows {
                do throws(InputIssue) {
                    let pair = (try row.optionalDouble(sensor), try row.optionalDouble(reference))
                    sensorValues.append(pair.0)
                    referenceValues.append(pair.1)
                } catch { issues.append(error) }
            }
            if !issues.isEmpty { throw InputErrors(Array(issues.prefix(50))) }
            switch Collocation.fit(sensor: sensorValues, reference: referenceValues) {
            case let .failure(refusal):
                throw InputErrors([InputIssue(InputLocation(file: name), reason: refusal.description)])
            case let .success(fit):
                print(String(format: "%d pairs: sensor = %.3f × reference %+.2f; R² %.3f; RMSE %.2f %@ (NRMSE %.1f %%)", fit.pairs, fit.slope,
                             fit.intercept, fit.r2, fit.rmse, target.unit, fit.nrmse))
                print(TextTable.render(header: ["Metric", "Value", "Target", "Result"], rows: fit.judged(by: target).map {
                    [$0.metric, String(format: "%.3f", $0.value), $0.target, $0.passes ? "pass" : "fail"]
                }, rightAligned: [1]))
                print(String(format: "Calibration: reference = (sensor %+.2f) / %.3f", -fit.intercept, fit.slope))
                print("Targets: \(target.source)")
            }
        }
    }

    struct Health: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cases avoided by a fall in concentration: Y0 · Pop · (1 − e^(−β·ΔC)), with the function's interval.",
            discussion: "Example: citycarbon air health --population 1000000 --baseline-rate 0.007 --reduction 5 gives about 264 deaths avoided a year."
        )

        @Option(help: "The concentration–response function.") var function = "who-aqg-2021-pm25-mortality"
        @Option(help: "The people exposed.") var population: Double
        @Option(help: "Baseline cases per person per year (700 per 100,000 is 0.007).") var baselineRate: Double
        @Option(help: "The fall in concentration (µg/m³); negative when the air gets worse.") var reduction: Double
        @Option(help: "A value per case (a statistical life), for the economic value.") var valuePerCase: Double?

        func run() throws {
            let functions = ConcentrationResponses.shipped
            guard let chosen = functions.function(function) else {
                throw InputErrors([InputIssue(InputLocation(field: "--function"), value: function, reason: "no such function",
                                              suggestion: functions.functions.map(\.id).joined(separator: ", "))])
            }
            for (field, value, limit) in [("--population", population, 1e10), ("--reduction", abs(reduction), 500.0),
                                          ("--value-per-case", valuePerCase ?? 0, 1e12)] where !(value.isFinite && value <= limit) {
                throw InputErrors([InputIssue(InputLocation(field: field), value: String(value),
                                              reason: "must be at most \(GroupedNumber.format(limit, decimals: 0))"
                                                  + (field == "--reduction" ? " µg/m³ either way, the whole span of the index" : ""))])
            }
            switch HealthImpact.avoided(chosen, baselineRate: baselineRate, population: population, reduction: reduction,
                                        valuePerCase: valuePerCase) {
            case let .failure(.invalid(field, value, reason)):
                throw InputErrors([InputIssue(InputLocation(field: "--" + field.replacingOccurrences(of: "_", with: "-")),
                                              value: String(value), reason: reason)])
            case let .success(impact):
                print(String(format: "%@ avoided a year: %.1f (%.1f – %.1f)", chosen.outcome, impact.central, impact.low, impact.high))
                if let value = impact.value {
                    print("Value: \(GroupedNumber.format(value.central, decimals: 0)) (\(GroupedNumber.format(value.low, decimals: 0)) – "
                          + "\(GroupedNumber.format(value.high, decimals: 0)))")
                }
                print("RR \(chosen.rr) (\(chosen.rr_low)–\(chosen.rr_high)) per \(GroupedNumber.format(chosen.per, decimals: 0)) µg/m³ \(chosen.pollutant), \(chosen.ages)")
                print("Source: \(chosen.source)")
            }
        }
    }
}

extension AirQualityIndex.Kind: ExpressibleByArgument {}
extension AirSensor.Grade: ExpressibleByArgument {}
extension AirSensor.Placement: ExpressibleByArgument {}

extension AirFeed.Format: ExpressibleByArgument {}
