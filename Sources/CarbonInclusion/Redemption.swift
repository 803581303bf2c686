import CarbonKit

/// Something a resident can spend points on: a merchant's voucher, a free ride, a tree planted.
/// Its stock and the per-account limit count per period (a calendar month), as Dazhou's 10,000
/// free rides a month do.
public struct RedemptionItem: Sendable, Hashable, Codable {
    public var code: String
    public var scheme: String
    public var merchant: String
    public var name: String
    public var pricePoints: Int64
    /// What the merchant is owed per redemption, in yuan, for the settlement report.
    public var faceValueCNY: Micro
    public var stockPerMonth: Int64?
    public var perAccountPerMonth: Int64?

    public init(code: String, scheme: String, merchant: String, name: String, pricePoints: Int64, faceValueCNY: Micro,
                stockPerMonth: Int64? = nil, perAccountPerMonth: Int64? = nil) {
        (self.code, self.scheme, self.merchant, self.name, self.pricePoints) = (code, scheme, merchant, name, pricePoints)
        (self.faceValueCNY, self.stockPerMonth, self.perAccountPerMonth) = (faceValueCNY, stockPerMonth, perAccountPerMonth)
    }

    /// What is wrong with the item as entered by staff.
    public var problems: [String] {
        var found: [String] = []
        if code.isEmpty || code.utf8.count > 64 || !code.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            found.append("code must be 1 to 64 letters, digits or punctuation, without spaces")
        }
        if pricePoints < 1 || pricePoints > 1_000_000_000 { found.append("price \(pricePoints) must be 1 to 1,000,000,000 points") }
        if faceValueCNY.millionths < 0 || faceValueCNY > Micro(whole: 1_000_000) { found.append("face value \(faceValueCNY) must be 0 to 1,000,000 yuan") }
        if let stock = stockPerMonth, stock < 0 { found.append("stock \(stock) must not be negative") }
        if let limit = perAccountPerMonth, limit < 1 { found.append("a per-account limit \(limit) must be at least 1") }
        return found
    }
}

/// Why a redemption was refused; nothing changed.
public enum RedemptionRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownItem(String)
    case invalidQuantity(Int64)
    case insufficientPoints(available: Int64, price: Int64)
    case outOfStock(item: String, month: String, stock: Int64)
    case accountLimit(item: String, month: String, limit: Int64)

    public var description: String {
        switch self {
        case let .unknownItem(code): "no catalogue item \(code)"
        case let .invalidQuantity(quantity): "quantity \(quantity) must be 1 to 100"
        case let .insufficientPoints(available, price): "\(available) points available, \(price) needed"
        case let .outOfStock(item, month, stock): "\(item) is out of stock for \(month) (\(stock) a month)"
        case let .accountLimit(item, month, limit): "\(item) may be redeemed \(limit) times a month per account; \(month)'s are used"
        }
    }
}

public enum RedemptionRules {
    /// Whether `quantity` of `item` may be redeemed now, given the points available and this
    /// month's redemptions of the item in all and by the account; the points it costs.
    public static func check(_ item: RedemptionItem, quantity: Int64, available: Int64, month: String, redeemedThisMonth: Int64,
                             redeemedByAccountThisMonth: Int64) -> Result<Int64, RedemptionRefusal> {
        guard (1...100).contains(quantity) else { return .failure(.invalidQuantity(quantity)) }
        let price = item.pricePoints * quantity
        if let stock = item.stockPerMonth, redeemedThisMonth + quantity > stock { return .failure(.outOfStock(item: item.code, month: month, stock: stock)) }
        if let limit = item.perAccountPerMonth, redeemedByAccountThisMonth + quantity > limit {
            return .failure(.accountLimit(item: item.code, month: month, limit: limit))
        }
        if available < price { return .failure(.insufficientPoints(available: available, price: price)) }
        return .success(price)
    }
}

/// A merchant's month: what its residents redeemed and what the platform owes it.
public struct SettlementLine: Sendable, Equatable {
    public var merchant: String
    public var month: String
    public var item: String
    public var redemptions: Int64
    public var points: Int64
    public var faceValueCNY: Micro

    public init(merchant: String, month: String, item: String, redemptions: Int64, points: Int64, faceValueCNY: Micro) {
        (self.merchant, self.month, self.item, self.redemptions, self.points, self.faceValueCNY) = (merchant, month, item, redemptions, points, faceValueCNY)
    }
}
