/// A number in a data sheet cell as spreadsheets and CSV writers put it: optional sign, digits,
/// an optional point and fraction, an optional exponent. Hexadecimal (`0x10`), `inf`, `nan`
/// and digit grouping are refused: a sheet is machine-written, and what is not plainly decimal
/// was not meant as a number.
public enum SheetNumber {
    public static func parse(_ text: some StringProtocol) -> Double? {
        var sawDigit = false, sawPoint = false, sawExponent = false, previous: UInt8 = 0
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case 0x30...0x39: sawDigit = true
            case 0x2E where !sawPoint && !sawExponent: sawPoint = true
            case 0x65, 0x45 where sawDigit && !sawExponent: sawExponent = true
            case 0x2B, 0x2D where index == 0 || previous == 0x65 || previous == 0x45: break
            default: return nil
            }
            previous = byte
        }
        guard sawDigit, let value = Double(String(text)), value.isFinite else { return nil }
        return value
    }
}
