import Foundation

/// Reads one of the module's data files (`Resources/NAME.json`). The files are part of the build,
/// so one that is missing or does not decode is a broken build, not bad input.
enum ShippedData {
    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else { fatalError("Resources/\(name).json is part of the build") }
        do { return try JSONDecoder().decode(T.self, from: data) } catch { fatalError("Resources/\(name).json must decode: \(error)") }
    }
}
