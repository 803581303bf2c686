import CarbonKit
import Foundation
import Testing

@Suite struct JSONReaderTests {
    func read(_ text: String) throws(JSONReadError) -> JSONNode { try JSONReader.read(Data(text.utf8)) }

    func refusal(_ bytes: [UInt8], maximumItems: Int = .max) -> JSONReadError? {
        do { _ = try JSONReader.read(Data(bytes), maximumItems: maximumItems); return nil } catch { return error }
    }

    func refusal(_ text: String) -> JSONReadError? { refusal(Array(text.utf8)) }

    @Test func valuesAreReadWithMembersInTheOrderWritten() throws {
        let node = try read(#" {"b": [1, -0.5, 2e3, true, false, null], "a": "x\u00e9\ud83d\ude00\n", "c": {}} "#)
        guard case let .object(object) = node else { Issue.record("not an object"); return }
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["b"] == .array([.number("1"), .number("-0.5"), .number("2e3"), .bool(true), .bool(false), .null]))
        #expect(object["a"] == .string("xé😀\n"))
        #expect(object["c"] == .object(JSONObject(members: [])))
        #expect(object["missing"] == nil)
    }

    /// A number keeps its text, so a reader sees a decimal's seventh place rather than a rounded double.
    @Test func aNumberKeepsTheTextItWasWrittenWith() throws {
        #expect(try read("0.1234567") == .number("0.1234567"))
        #expect(try read("100000000000000000000000") == .number("100000000000000000000000"))
    }

    @Test func theSameTextReadsAsFoundationReadsIt() throws {
        let text = #"{"events":[{"serial":"s\/1","account":"did:a","value":"\u4e2d\u6587","n":[0,1.5,-2]}]}"#
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let event = (foundation["events"] as! [[String: Any]])[0]
        guard case let .object(root) = try read(text), case let .array(events) = root["events"], case let .object(ours) = events[0] else {
            Issue.record("shape"); return
        }
        #expect(ours["serial"] == .string(event["serial"] as! String))
        #expect(ours["value"] == .string(event["value"] as! String))
    }

    @Test func eachSyntaxErrorNamesItsByte() {
        let cases: [(String, Int)] = [
            (#"{"a":1,}"#, 7), ("[1,]", 3), ("[01]", 1), ("{\"a\" 1}", 5), ("[1] x", 4), ("", 0), ("[1.]", 3), ("[-]", 2),
            ("[tru]", 1), ("{'a':1}", 1), ("[\"a\tb\"]", 3), (#"["\x"]"#, 2), (#"["\u12G4"]"#, 2), ("[\"open", 1), ("{\"a\":1", 6),
        ]
        for (text, offset) in cases {
            guard case let .syntax(at, _) = refusal(text) else { Issue.record("accepted \(text)"); continue }
            #expect(at == offset, "\(text)")
        }
    }

    @Test func invalidUTF8AndLoneSurrogatesAreRefused() {
        #expect(refusal([0x5B, 0x22, 0x41, 0xFF, 0x22, 0x5D]) == .syntax(offset: 3, reason: "byte 0xFF is not UTF-8"))
        #expect(refusal([0x5B, 0x22, 0xC3, 0x22, 0x5D]) != nil)
        #expect(refusal([0xFF]) != nil)
        #expect(refusal(#"["\ud800"]"#) != nil)
        #expect(refusal(#"["\udc00"]"#) != nil)
        #expect(refusal(#"["\ud800\u0041"]"#) != nil)
    }

    /// A store would cut the text at a NUL or refuse it, so it is refused where it is read.
    @Test func anEscapedNulIsRefusedAtItsEscape() {
        #expect(refusal(#"{"name":"before\u0000after"}"#) == .syntax(offset: 15, reason: "\\u0000 (NUL) is not accepted in text"))
        #expect(refusal(#"["\u0001"]"#) == nil)
    }

    /// Parsers disagree on a repeated key (Foundation keeps the last), so it is refused, by its path.
    @Test func aKeyGivenTwiceInOneObjectIsRefusedByItsPathEvenWhenEscaped() {
        #expect(refusal(#"{"a":[1,{"x":1,"y":{"z":1,"z":2}}]}"#) == .repeatedKey(path: "a[1].y.z"))
        #expect(refusal(#"{"events":[{"serial":"a","\u0073erial":"b"}]}"#) == .repeatedKey(path: "events[0].serial"))
        #expect(refusal(#"{"a":{"k":1},"b":{"k":[{"k":2},{"k":3}]},"s":"\"k\":"}"#) == nil)
        // Past sixteen members the comparison is by set: still found.
        let wide = "{" + (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k7\":0}"
        #expect(refusal(wide) == .repeatedKey(path: "k7"))
    }

    /// Nesting past the limit is refused, not followed until the stack overflows.
    @Test func deepNestingIsRefusedNotFollowed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        guard case let .syntax(offset, reason) = refusal(deep) else { Issue.record("accepted"); return }
        #expect(offset == 64 && reason.contains("64"))
        #expect(refusal(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) == nil)
    }

    /// A body of millions of items is refused at the first one past the limit, not read whole.
    @Test func anArrayPastTheLimitIsRefusedWhereItGoesOver() {
        let many = "[" + Array(repeating: "0", count: 1_000_000).joined(separator: ",") + "]"
        #expect(refusal(Array(many.utf8), maximumItems: 10) == .syntax(offset: 21, reason: "an array holds more than 10 items"))
        #expect(refusal(Array("[0,0,0]".utf8), maximumItems: 3) == nil)
    }

    @Test func theShownValueIsShortJSON() throws {
        #expect(try read(#"{"a":[1,"x"]}"#).shown == #"{"a":[1,"x"]}"#)
        #expect(try read(#""text""#).shown == "text")
        #expect(try read("null").shown == "null")
    }
}
