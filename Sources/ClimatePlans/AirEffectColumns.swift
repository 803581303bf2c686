import CarbonKit

/// The air columns of a plan sheet, read into an action's ``AirEffect``.
extension PlanSheet {
    static let airColumns = ["air_pollutant", "air_district", "air_concentration_reduction", "air_emission_reduction", "air_source"]

    /// The row's effect on the air; problems go to `issues` with the cell they are in.
    static func airEffect(_ row: ReferenceTable.Row, issues: inout [InputIssue]) -> (pollutant: AirEffect.Pollutant?, value: AirEffect?)? {
        let cells = airColumns.map { row[$0] }
        guard cells.contains(where: { !$0.isEmpty }) else { return nil }
        let name = row["air_pollutant"]
        if name == "none" { return (nil, nil) }
        guard let pollutant = AirEffect.Pollutant(rawValue: name) else {
            issues.append(InputIssue(row.location("air_pollutant"), value: name.isEmpty ? nil : name,
                                     reason: name.isEmpty ? "an air effect needs its pollutant" : "is not a pollutant an effect may state",
                                     suggestion: (AirEffect.Pollutant.allCases.map(\.rawValue) + ["none"]).joined(separator: ", ")))
            return nil
        }
        func amount(_ column: String, largest: Double, unit: String) -> Double? {
            let text = row[column]
            guard !text.isEmpty else { return nil }
            guard let value = Double(text), value.isFinite, abs(value) <= largest else {
                issues.append(InputIssue(row.location(column), value: text, reason: "is not a number of \(unit) from −\(largest) to \(largest)",
                                         suggestion: "a plain number, e.g. 2.5"))
                return nil
            }
            return value
        }
        let concentration = amount("air_concentration_reduction", largest: AirEffect.largestConcentrationReduction, unit: "µg/m³")
        let emission = amount("air_emission_reduction", largest: AirEffect.largestEmissionReductionTonnes, unit: "tonnes a year")
        switch (row["air_concentration_reduction"].isEmpty, row["air_emission_reduction"].isEmpty) {
        case (true, true):
            issues.append(InputIssue(row.location("air_concentration_reduction"), reason: "an air effect needs a concentration or an emission reduction"))
            return nil
        case (false, false):
            issues.append(InputIssue(row.location("air_emission_reduction"), value: row["air_emission_reduction"],
                                     reason: "give a concentration or an emission reduction, not both"))
            return nil
        default: break
        }
        if emission != nil, pollutant != .pm25 {
            issues.append(InputIssue(row.location("air_emission_reduction"), value: row["air_emission_reduction"],
                                     reason: "only primary PM2.5 turns into a concentration through the intake fraction; give \(name)'s concentration"))
            return nil
        }
        guard concentration != nil || emission != nil else { return nil }
        let district = row["air_district"], source = row["air_source"]
        return (pollutant, AirEffect(pollutant: pollutant, district: district.isEmpty ? nil : district, concentrationReduction: concentration,
                                     emissionReductionTonnes: emission, source: source.isEmpty ? nil : source))
    }
}
