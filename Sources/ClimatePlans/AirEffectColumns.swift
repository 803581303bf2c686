import CarbonKit

extension AirEffect {
    /// The fields an effect is written in, in a plan sheet's columns and the staff form alike.
    public static let fields = ["air_pollutant", "air_district", "air_concentration_reduction", "air_emission_reduction", "air_source"]

    /// What a set of fields says: nothing (all empty), a removal (`none`), or an effect. A
    /// problem names its field, the value and why, and yields no effect.
    public enum Reading: Sendable, Equatable {
        case nothing, removal, effect(AirEffect)
        case problem(field: String, value: String?, reason: String, suggestion: String?)
    }

    /// Reads an effect from its fields (``fields``), each trimmed text or empty.
    public static func read(_ cell: (String) -> String) -> Reading {
        guard fields.contains(where: { !cell($0).isEmpty }) else { return .nothing }
        let name = cell("air_pollutant")
        if name == "none" {
            if let other = fields.dropFirst().first(where: { !cell($0).isEmpty }) {
                return .problem(field: other, value: cell(other), reason: "none removes the effect: leave the other air cells empty", suggestion: nil)
            }
            return .removal
        }
        guard let pollutant = Pollutant(rawValue: name) else {
            return .problem(field: "air_pollutant", value: name.isEmpty ? nil : name,
                            reason: name.isEmpty ? "an air effect needs its pollutant" : "is not a pollutant an effect may state",
                            suggestion: (Pollutant.allCases.map(\.rawValue) + ["none"]).joined(separator: ", "))
        }
        let concentrationText = cell("air_concentration_reduction"), emissionText = cell("air_emission_reduction")
        switch (concentrationText.isEmpty, emissionText.isEmpty) {
        case (true, true):
            return .problem(field: "air_concentration_reduction", value: nil, reason: "an air effect needs a concentration or an emission reduction",
                            suggestion: nil)
        case (false, false):
            return .problem(field: "air_emission_reduction", value: emissionText, reason: "give a concentration or an emission reduction, not both",
                            suggestion: nil)
        default: break
        }
        var amounts: [String: Double] = [:]
        for (field, text, largest, unit) in [("air_concentration_reduction", concentrationText, largestConcentrationReduction, "µg/m³"),
                                             ("air_emission_reduction", emissionText, largestEmissionReductionTonnes, "tonnes a year")]
        where !text.isEmpty {
            let limit = GroupedNumber.format(largest, decimals: 0)
            guard let value = try? InputNumber.decimal(text, field: field), abs(value) <= largest else {
                return .problem(field: field, value: text, reason: "is not a number of \(unit) from −\(limit) to \(limit)",
                                suggestion: "a plain number, e.g. 2.5; negative when the action makes the air worse")
            }
            amounts[field] = value
        }
        if !emissionText.isEmpty, pollutant != .pm25 {
            return .problem(field: "air_emission_reduction", value: emissionText,
                            reason: "only primary PM2.5 turns into a concentration through the intake fraction; give \(name)'s concentration",
                            suggestion: nil)
        }
        let district = cell("air_district"), source = cell("air_source")
        if !emissionText.isEmpty, !district.isEmpty {
            return .problem(field: "air_district", value: district,
                            reason: "an emission is breathed across the city, so its effect is the city's: leave the district empty", suggestion: nil)
        }
        return .effect(AirEffect(pollutant: pollutant, district: district.isEmpty ? nil : district,
                                 concentrationReduction: amounts["air_concentration_reduction"],
                                 emissionReductionTonnes: amounts["air_emission_reduction"], source: source.isEmpty ? nil : source))
    }
}

/// The air columns of a plan sheet, read into an action's ``AirEffect``.
extension PlanSheet {
    static let airColumns = AirEffect.fields

    /// The row's effect on the air; problems go to `issues` with the cell they are in.
    static func airEffect(_ row: ReferenceTable.Row, issues: inout [InputIssue]) -> (pollutant: AirEffect.Pollutant?, value: AirEffect?)? {
        switch AirEffect.read({ row[$0] }) {
        case .nothing: return nil
        case .removal: return (nil, nil)
        case .effect(let effect): return (effect.pollutant, effect)
        case let .problem(field, value, reason, suggestion):
            issues.append(InputIssue(row.location(field), value: value, reason: reason, suggestion: suggestion))
            return nil
        }
    }
}
