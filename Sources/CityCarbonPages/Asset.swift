import Foundation

/// Static files of the web pages (the stylesheet), shipped as resources.
package enum Asset {
    package struct Missing: Error, CustomStringConvertible {
        package let name: String
        package var description: String { "no asset \(name)" }
        package init(name: String) {
            self.name = name
        }
    }

    package static func bytes(_ name: String) throws -> [UInt8] {
        let file = name as NSString
        guard let url = Bundle.module.url(forResource: file.deletingPathExtension, withExtension: file.pathExtension, subdirectory: "Resources/assets"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw Missing(name: name)
        }
        return [UInt8](data)
    }
}
