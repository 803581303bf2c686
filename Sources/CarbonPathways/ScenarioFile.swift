import CarbonKit
import Foundation

/// Reading and writing scenario JSON, with decoding errors turned into the field they are
/// about (`measures[2].ramp.start`), as every other input of CityCarbon reports them.
public enum ScenarioFile {
    public static func decode(_ bytes: [UInt8], file: String?) throws(InputErrors) -> Scenario {
        if let nul = InputIssue.escapedNul(in: bytes, file: file) { throw InputErrors([nul]) }
        do {
            return try JSONDecoder().decode(Scenario.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw InputErrors([InputIssue(error, file: file, subject: "a scenario")])
        } catch {
            throw InputErrors([InputIssue(InputLocation(file: file), reason: "is not a scenario: \(error)")])
        }
    }

    public static func encode(_ scenario: Scenario) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(scenario)) ?? Data())
    }
}
