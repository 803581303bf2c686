/// A run of consecutive serial numbers of one unit type and vintage: what the registry holds,
/// moves and retires. Serial numbers are unique per unit type across vintages, so a serial and
/// its unit name one tonne for ever (US EPA's allowance blocks; UNDP's carbon registry).
public struct SerialBlock: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var unit: String
    public var vintage: Int
    /// First and last serial, both inclusive.
    public var start: Int64
    public var end: Int64

    public init(unit: String, vintage: Int, start: Int64, end: Int64) {
        precondition(start >= 1 && end >= start, "a block holds at least one serial")
        (self.unit, self.vintage, self.start, self.end) = (unit, vintage, start, end)
    }

    /// Units in the block.
    public var count: Int64 { end - start + 1 }

    public func contains(serial: Int64) -> Bool { start <= serial && serial <= end }

    /// The block's first `amount` serials, and the rest (nil when it takes the whole block).
    func split(taking amount: Int64) -> (taken: SerialBlock, rest: SerialBlock?) {
        precondition(amount >= 1 && amount <= count)
        if amount == count { return (self, nil) }
        return (SerialBlock(unit: unit, vintage: vintage, start: start, end: start + amount - 1),
                SerialBlock(unit: unit, vintage: vintage, start: start + amount, end: end))
    }

    /// `CEA-2023-1-1000`: unit, vintage, first and last serial.
    public var description: String { "\(unit)-\(vintage)-\(start)-\(end)" }

    /// Reads ``description`` back; nil for anything else.
    public init?(identifier: String) {
        let parts = identifier.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, UnitName.isValid(parts[0]), let vintage = Int(parts[1]), (1900...9999).contains(vintage),
              let start = Int64(parts[2]), let end = Int64(parts[3]), start >= 1, end >= start else { return nil }
        self.init(unit: String(parts[0]), vintage: vintage, start: start, end: end)
    }

    /// Serial order within a unit, so a holding lists oldest vintages and lowest serials first.
    public static func < (a: SerialBlock, b: SerialBlock) -> Bool {
        (a.unit, a.vintage, a.start) < (b.unit, b.vintage, b.start)
    }
}

/// Unit-type names (`CEA`, `CCER`, `EUA`): 2–12 ASCII capitals and digits, so they sit in a
/// serial identifier without quoting.
public enum UnitName {
    public static func isValid<S: StringProtocol>(_ name: S) -> Bool {
        (2...12).contains(name.utf8.count) && name.utf8.allSatisfy { (65...90).contains($0) || (48...57).contains($0) }
    }
}
