import Foundation

/// One field of a CSV file as CityCarbon writes it: quoted when it holds a comma, a quote or a
/// line break, and never a formula. A text that a spreadsheet would run when the file is
/// opened — starting with `=`, `+`, `-`, `@`, a tab or a carriage return — is prefixed with `'`
/// (OWASP, CSV injection); a plain number such as `-12.5` or `1e-3` is left as it is.
public enum CSVOutput {
    public static func field(_ field: String) -> String {
        var text = field
        if let first = text.utf8.first, formulaStarts.contains(first), Double(text) == nil { text = "'" + text }
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let formulaStarts: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
}
