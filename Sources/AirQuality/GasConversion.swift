import Foundation

/// A gas concentration from the unit the network stores (µg/m³, CO in mg/m³) into the unit an
/// index table is in (the US EPA's ppm and ppb), at the reference conditions in
/// `Resources/gas-conversions.json`: ppb = µg/m³ × molar volume / molar mass.
public struct GasConversion: Sendable, Decodable {
    public var source: String
    public var molar_volume_l: Double
    public var molar_mass_g: [String: Double]

    public static let shipped: GasConversion = ShippedData.load("gas-conversions")

    /// `value` of `parameter` from unit `from` into unit `to`; nil when the pair has no conversion.
    public func convert(_ value: Double, parameter: AirParameter, from: String, to: String) -> Double? {
        if from == to { return value }
        // Everything through µg/m³.
        let micrograms: Double
        switch from {
        case "µg/m³": micrograms = value
        case "mg/m³": micrograms = value * 1000
        case "ppb", "ppm":
            guard let mass = molar_mass_g[parameter.rawValue] else { return nil }
            micrograms = value * (from == "ppm" ? 1000 : 1) * mass / molar_volume_l
        default: return nil
        }
        switch to {
        case "µg/m³": return micrograms
        case "mg/m³": return micrograms / 1000
        case "ppb", "ppm":
            guard let mass = molar_mass_g[parameter.rawValue] else { return nil }
            let ppb = micrograms * molar_volume_l / mass
            return to == "ppm" ? ppb / 1000 : ppb
        default: return nil
        }
    }
}
