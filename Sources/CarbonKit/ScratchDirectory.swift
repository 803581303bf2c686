import Foundation

/// Directories for throwaway workspaces (tests, benchmarks), all under one directory of this
/// process that is removed when the process exits: a run of the test suite opens about a
/// thousand demo workspaces of some 12 MB each, which must not stay behind on the disk.
public enum ScratchDirectory {
    static let root: URL = {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("citycarbon-scratch-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        atexit { try? FileManager.default.removeItem(at: ScratchDirectory.root) }
        return root
    }()

    /// A new, empty directory named after `prefix`.
    public static func make(_ prefix: String) throws -> URL {
        let directory = root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
