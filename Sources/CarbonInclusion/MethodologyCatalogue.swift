import CarbonKit
import Foundation

/// Every methodology version and scheme the platform ships with (`Resources/methodologies.json`).
public struct MethodologyCatalogue: Sendable, Decodable {
    public var source: String
    public var methodologies: [Methodology]
    public var schemes: [InclusionScheme]

    /// The shipped catalogue; it is part of the build, so a file that does not decode is a broken build.
    public static let shipped: MethodologyCatalogue = {
        guard let url = Bundle.module.url(forResource: "methodologies", withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else { fatalError("Resources/methodologies.json is part of the build") }
        do { return try JSONDecoder().decode(MethodologyCatalogue.self, from: data) } catch {
            fatalError("Resources/methodologies.json must decode: \(error)")
        }
    }()

    public func methodology(_ id: String) -> Methodology? { methodologies.first { $0.id == id } }
    public func scheme(_ code: String) -> InclusionScheme? { schemes.first { $0.code == code } }
    /// Every version of a methodology code, oldest first.
    public func versions(of code: String) -> [Methodology] {
        methodologies.filter { $0.code == code }.sorted { $0.valid_from < $1.valid_from }
    }

    /// What is wrong with the catalogue as data: a scheme naming a missing methodology, a
    /// duplicated version, a factor pair that avoids nothing. Tests keep this empty.
    public var problems: [String] {
        var found: [String] = []
        var seen = Set<String>()
        for methodology in methodologies {
            if !seen.insert(methodology.id).inserted { found.append("\(methodology.id) appears twice") }
            if methodology.netGramsPerPer.millionths <= 0 { found.append("\(methodology.id) avoids nothing") }
            if methodology.per.millionths <= 0 { found.append("\(methodology.id) has no positive `per`") }
            if methodology.limits[methodology.activity] == nil { found.append("\(methodology.id) has no limit on \(methodology.activity)") }
        }
        for scheme in schemes {
            if TimeZone(identifier: scheme.time_zone) == nil { found.append("scheme \(scheme.code): unknown time zone") }
            for (scenario, id) in scheme.scenarios where methodology(id) == nil {
                found.append("scheme \(scheme.code), scenario \(scenario): no methodology \(id)")
            }
            for level in scheme.lot_evidence where scheme.evidence_weights[level] == nil {
                found.append("scheme \(scheme.code): lot evidence \(level) is not an accepted evidence")
            }
        }
        return found
    }
}
