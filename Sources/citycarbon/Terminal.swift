import CarbonKit
import Foundation

/// Writing to the terminal: errors to standard error, progress only when it is a terminal.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func printErrors(_ errors: InputErrors) {
        var text = ""
        for issue in errors.issues { text += "error: \(issue)\n" }
        text += "\(errors.issues.count) error\(errors.issues.count == 1 ? "" : "s"); nothing was changed.\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    static var isInteractive: Bool { isatty(STDERR_FILENO) != 0 }

    /// A one-line progress report that rewrites itself on a terminal and stays silent elsewhere.
    static func progress(_ label: String, done: Int, total: Int) {
        guard isInteractive else { return }
        let percent = total > 0 ? done * 100 / total : 100
        FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) (\(percent)%)\u{1B}[K".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// Reads input files whole: a path, or `-` for standard input.
enum FileInput {
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CLIFailure.usage("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CLIFailure.input("\(path): cannot read its size") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw CLIFailure.input("\(path) is a directory, not a file") }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let n = Foundation.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 { failure = errno; break }
                if n == 0 { break }
                done += n
            }
            initialized = done
        }
        if failure != 0 { throw CLIFailure.input("\(path): \(String(cString: strerror(failure)))") }
        return bytes
    }

    static func name(_ path: String) -> String { path == "-" ? "<stdin>" : (path as NSString).lastPathComponent }
}

/// Reads a file the user named, or fails with its name.
func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure.usage("cannot read \(path)") }
    return [UInt8](data)
}
