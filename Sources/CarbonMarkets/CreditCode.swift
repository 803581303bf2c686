/// The unified social credit code (统一社会信用代码) that names every enterprise in China: 18
/// characters of a 31-character alphabet, the last a check character over the first 17
/// (`Resources/credit-code.json`, GB 32100-2015). A mistyped code is refused with the check
/// character it should have, so a registry never holds two spellings of one enterprise.
public enum CreditCode {
    struct Rules: Decodable {
        var source: String
        var length: Int
        var alphabet: String
        var weights: [Int]
    }

    static let rules: Rules = ReferenceData.load("credit-code")

    /// Why `code` is not a credit code, or nil when it is one.
    public static func problem(_ code: String) -> String? {
        let alphabet = Array(rules.alphabet)
        let characters = Array(code)
        guard characters.count == rules.length else { return "must be \(rules.length) characters, not \(characters.count)" }
        var values: [Int] = []
        for (position, character) in characters.enumerated() {
            guard let value = alphabet.firstIndex(of: character) else {
                return "character \(position + 1) (\(character)) is not one of the digits or capitals the code uses (no I, O, Z, S, V, no lower case)"
            }
            values.append(value)
        }
        guard characters[2..<8].allSatisfy(\.isASCII) && characters[2..<8].allSatisfy(\.isNumber) else {
            return "characters 3–8 are the registering authority's region code: six digits"
        }
        let expected = check(values.prefix(rules.weights.count))
        guard values[rules.weights.count] == expected else {
            return "its check character is \(characters[rules.weights.count]), but the first 17 characters give \(alphabet[expected]): a character is mistyped"
        }
        return nil
    }

    static func check(_ values: ArraySlice<Int>) -> Int {
        let modulus = rules.alphabet.count
        let sum = zip(values, rules.weights).reduce(0) { $0 + $1.0 * $1.1 }
        return (modulus - sum % modulus) % modulus
    }
}
