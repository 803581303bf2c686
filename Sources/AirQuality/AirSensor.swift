import CarbonKit
import Foundation

/// A sensor of the city's air network: whose it is, what it is, where, and whether its values
/// are regulatory (a reference monitor) or need QA and correction (a low-cost sensor).
public struct AirSensor: Sendable, Equatable, Codable {
    public enum Grade: String, Sendable, Codable, CaseIterable { case reference, lowCost = "low_cost" }
    public enum Placement: String, Sendable, Codable, CaseIterable { case outside, inside }

    public var code: String
    public var name: String
    /// The organisation that runs it (Jakarta's network joins many owners' sensors).
    public var owner: String
    public var model: String
    public var grade: Grade
    public var latitude: Double
    public var longitude: Double
    public var placement: Placement
    public var district: String?
    /// The correction its PM2.5 goes through (low-cost sensors), by id.
    public var correction: String?

    public init(code: String, name: String, owner: String, model: String, grade: Grade, latitude: Double, longitude: Double,
                placement: Placement = .outside, district: String? = nil, correction: String? = nil) {
        (self.code, self.name, self.owner, self.model, self.grade) = (code, name, owner, model, grade)
        (self.latitude, self.longitude, self.placement, self.district, self.correction) = (latitude, longitude, placement, district, correction)
    }

    /// What is wrong with the sensor as entered, each with its field.
    static let codeBytes = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.".utf8))
    /// Zero-width characters and bidirectional controls (U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF).
    static let hidden: Set<UInt32> = Set(Array(0x200B...0x200F) + Array(0x202A...0x202E) + Array(0x2060...0x2069) + [0xFEFF])

    /// What is wrong with the sensor's fields; its correction must be one of `corrections`
    /// (the shipped ones and the city's calibrations).
    public func issues(corrections: SensorCorrections = .shipped) -> [InputIssue] {
        var found: [InputIssue] = []
        func check(_ field: String, _ value: String, _ ok: Bool, _ reason: String) {
            if !ok { found.append(InputIssue(InputLocation(field: field), value: String(value.prefix(80)), reason: reason)) }
        }
        // A code is part of addresses and ids (`Things('pa-1')`, `pa-1:pm25:1764000000`): letters, digits, `-`, `_` and `.` only,
        // so no code can pose as another's stream (`station-1:pm25`) or break a link (`a/b`).
        check("code", code, !code.isEmpty && code.utf8.count <= 64 && code.utf8.allSatisfy { Self.codeBytes.contains($0) },
              "must be 1 to 64 letters, digits, '-', '_' or '.'")
        for (field, value) in [("name", name), ("owner", owner), ("model", model)] {
            check(field, value, !value.trimmingCharacters(in: .whitespaces).isEmpty && value.count <= 200, "must be 1 to 200 characters")
            // Direction overrides and invisible characters make a name read as another's.
            check(field, value, !value.unicodeScalars.contains { Self.hidden.contains($0.value) }, "must not hold direction controls or invisible characters")
        }
        check("latitude", String(latitude), latitude.isFinite && (-90...90).contains(latitude), "must be from −90 to 90")
        check("longitude", String(longitude), longitude.isFinite && (-180...180).contains(longitude), "must be from −180 to 180")
        if let correction { check("correction", correction, corrections.correction(correction) != nil, "is not a known correction") }
        return found
    }
}

/// The parameters the network measures, each in one unit: µg/m³ for particles and gases, mg/m³
/// for CO (as HJ 633 indexes them), % for relative humidity, °C for temperature.
public enum AirParameter: String, Sendable, CaseIterable, Codable {
    case pm25, pm10, no2, o3, so2, co, rh, t

    public var unit: String {
        switch self {
        case .co: "mg/m³"
        case .rh: "%"
        case .t: "°C"
        default: "µg/m³"
        }
    }
}
