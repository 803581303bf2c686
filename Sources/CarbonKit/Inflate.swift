/// DEFLATE decompression (RFC 1951), enough to read the sheets a spreadsheet program saves:
/// stored, fixed-Huffman and dynamic-Huffman blocks, decoded canonically as in zlib's `puff`.
/// Output beyond `limit` bytes is refused, so a small archive cannot expand without bound.
public enum Inflate {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case truncated
        case invalid(String)
        case tooLarge(limit: Int)
        public var description: String {
            switch self {
            case .truncated: "the compressed data ends early"
            case let .invalid(reason): "the compressed data is corrupt: \(reason)"
            case let .tooLarge(limit): "the data expands to more than \(limit) bytes"
            }
        }
    }

    struct Huffman {
        var count = [Int](repeating: 0, count: 16)
        var symbol: [Int]

        /// The canonical code of symbols with `lengths`; an over-subscribed set is refused.
        init(_ lengths: ArraySlice<Int>) throws(Failure) {
            symbol = [Int](repeating: 0, count: lengths.count)
            for length in lengths { count[length] += 1 }
            var left = 1
            for length in 1..<16 {
                left = (left << 1) - count[length]
                if left < 0 { throw .invalid("over-subscribed code lengths") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + count[length] }
            for (symbolIndex, length) in lengths.enumerated() where length != 0 {
                symbol[offsets[length]] = symbolIndex
                offsets[length] += 1
            }
        }
    }

    struct Reader {
        let input: [UInt8]
        var position = 0
        var buffer = 0
        var bits = 0

        mutating func bits(_ need: Int) throws(Failure) -> Int {
            var value = buffer
            while bits < need {
                guard position < input.count else { throw .truncated }
                value |= Int(input[position]) << bits
                position += 1
                bits += 8
            }
            buffer = value >> need
            bits -= need
            return value & ((1 << need) - 1)
        }

        mutating func decode(_ h: Huffman) throws(Failure) -> Int {
            var code = 0, first = 0, index = 0
            for length in 1..<16 {
                code |= try bits(1)
                let count = h.count[length]
                if code - count < first { return h.symbol[index + (code - first)] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw .invalid("no symbol for a code")
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                               4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    public static func decompress(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var reader = Reader(input: input)
        var output: [UInt8] = []
        var last = 0
        repeat {
            last = try reader.bits(1)
            switch try reader.bits(2) {
            case 0:
                reader.buffer = 0
                reader.bits = 0
                guard reader.position + 4 <= input.count else { throw .truncated }
                let length = Int(input[reader.position]) | Int(input[reader.position + 1]) << 8
                let check = Int(input[reader.position + 2]) | Int(input[reader.position + 3]) << 8
                guard length == ~check & 0xFFFF else { throw .invalid("a stored block's length does not match its complement") }
                reader.position += 4
                guard reader.position + length <= input.count else { throw .truncated }
                guard output.count + length <= limit else { throw .tooLarge(limit: limit) }
                output += input[reader.position..<reader.position + length]
                reader.position += length
            case 1:
                let lengths = [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24)
                    + [Int](repeating: 8, count: 8)
                try codes(&reader, &output, literals: try Huffman(lengths[...]), distances: try Huffman([Int](repeating: 5, count: 30)[...]), limit: limit)
            case 2:
                let literalCount = try reader.bits(5) + 257, distanceCount = try reader.bits(5) + 1, codeCount = try reader.bits(4) + 4
                guard literalCount <= 286, distanceCount <= 30 else { throw .invalid("too many code lengths") }
                var lengths = [Int](repeating: 0, count: 19)
                for index in 0..<codeCount { lengths[order[index]] = try reader.bits(3) }
                let lengthCode = try Huffman(lengths[...])
                var all: [Int] = []
                while all.count < literalCount + distanceCount {
                    let symbol = try reader.decode(lengthCode)
                    switch symbol {
                    case 0..<16: all.append(symbol)
                    case 16:
                        guard let previous = all.last else { throw .invalid("a repeat with no length before it") }
                        all += [Int](repeating: previous, count: 3 + (try reader.bits(2)))
                    case 17: all += [Int](repeating: 0, count: 3 + (try reader.bits(3)))
                    default: all += [Int](repeating: 0, count: 11 + (try reader.bits(7)))
                    }
                }
                guard all.count == literalCount + distanceCount else { throw .invalid("code lengths overrun") }
                guard all[256] != 0 else { throw .invalid("no end-of-block code") }
                try codes(&reader, &output, literals: try Huffman(all[0..<literalCount]),
                          distances: try Huffman(all[literalCount...]), limit: limit)
            default:
                throw .invalid("block type 3")
            }
        } while last == 0
        return output
    }

    static func codes(_ reader: inout Reader, _ output: inout [UInt8], literals: Huffman, distances: Huffman, limit: Int) throws(Failure) {
        while true {
            let symbol = try reader.decode(literals)
            if symbol < 256 {
                guard output.count < limit else { throw .tooLarge(limit: limit) }
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < 29 else { throw .invalid("a length code out of range") }
                let length = lengthBase[index] + (try reader.bits(lengthExtra[index]))
                let distanceSymbol = try reader.decode(distances)
                guard distanceSymbol < 30 else { throw .invalid("a distance code out of range") }
                let distance = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
                guard distance <= output.count else { throw .invalid("a distance back past the start") }
                guard output.count + length <= limit else { throw .tooLarge(limit: limit) }
                let start = output.count - distance
                for offset in 0..<length { output.append(output[start + offset]) }
            }
        }
    }
}
