/// Published values of a statistical life, for the economic value of deaths avoided
/// (`Resources/statistical-life.json`). Each keeps its currency and price year: the platform
/// neither converts nor inflates them, so the value shown is the one the source states.
public struct StatisticalLife: Sendable, Decodable, Equatable {
    public var id: String
    public var amount: Double
    public var low: Double?
    public var high: Double?
    public var currency: String
    public var price_year: Int
    public var source: String

    public struct Published: Sendable, Decodable {
        public var source: String
        public var values: [StatisticalLife]
        public func value(_ id: String) -> StatisticalLife? { values.first { $0.id == id } }
    }

    public static let shipped: Published = ShippedData.load("statistical-life")
    /// The value pages use unless a scenario states its own.
    public static let standard = "oecd-2012"
}
