import Foundation

/// Numbers for people: fixed decimals and thousands grouped with commas (1,234,567.8), as both
/// English and Chinese reports write them.
public enum GroupedNumber {
    public static func format(_ x: Double, decimals: Int, minus: String = "-") -> String {
        guard x.isFinite else { return "–" }
        let text = String(format: "%.\(decimals)f", abs(x))
        let parts = text.split(separator: ".", maxSplits: 1)
        var digits = Array(parts[0]), grouped = ""
        while digits.count > 3 {
            grouped = "," + String(digits.suffix(3)) + grouped
            digits.removeLast(3)
        }
        grouped = String(digits) + grouped
        let negative = x < 0 && text.contains { $0 != "0" && $0 != "." }
        return (negative ? minus : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }
}
