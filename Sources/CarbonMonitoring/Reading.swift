/// One observation as a device or head-end sends it: which datastream, when, what value.
public struct Reading: Sendable, Hashable {
    public var datastream: String
    public var time: UnixSeconds
    public var value: Double

    public init(datastream: String, time: UnixSeconds, value: Double) {
        (self.datastream, self.time, self.value) = (datastream, time, value)
    }
}

/// A reading resolved to its datastream's number, ready for the store: what ingestion works on.
public struct ResolvedReading: Sendable, Hashable {
    public var datastreamID: Int64
    public var time: UnixSeconds
    public var value: Double

    public init(datastreamID: Int64, time: UnixSeconds, value: Double) {
        (self.datastreamID, self.time, self.value) = (datastreamID, time, value)
    }
}
