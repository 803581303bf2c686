import Foundation

/// The market rules the platform ships with, each a JSON file in `Resources/` with its source.
enum ReferenceData {
    /// The file `name`.json decoded; it is part of the build, so a file that does not decode is
    /// a broken build, found by the first test that reads it.
    static func load<Value: Decodable>(_ name: String, as type: Value.Type = Value.self) -> Value {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url), let value = try? JSONDecoder().decode(Value.self, from: data) else {
            fatalError("Resources/\(name).json is part of the build and must decode")
        }
        return value
    }
}
