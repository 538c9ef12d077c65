import KsqlDBClient
import Parquet

/// One node of a column's compiled write plan: its ksqlDB type, the Parquet levels it writes and the
/// leaf columns under it. Built once per schema so that rows are scanned without looking types up.
final class RowPlanNode {
    /// The node's kind, as a trivial value so the hot path neither switches on the type nor retains.
    enum Shape {
        case scalar, array, map, structure
    }

    /// A scalar's decoding, as a trivial value so the hot path neither switches on the type nor retains.
    enum Scalar {
        case none, boolean, integer, bigint, double, decimal32, decimal64, decimalBytes, string, bytes, date, time, timestamp
    }

    let shape: Shape
    let scalar: Scalar
    let precision: Int
    let scale: Int
    /// The leaf's column writer, for scalars; set once the Parquet writer exists.
    unowned(unsafe) var column: ColumnWriter? = nil
    /// Bytes of a FIXED_LEN_BYTE_ARRAY DECIMAL; set with `column`.
    private(set) var width = 16
    /// Definition level of this node when present and non-null.
    let def: Int
    /// Repetition level of the elements/entries of an ARRAY or MAP node.
    let elementRep: Int
    /// Leaf columns under this node, in file order.
    let leaves: Range<Int>
    /// The ARRAY's element, the MAP's key and value, or the STRUCT's fields (`owned` keeps them).
    let children: UnsafeMutableBufferPointer<Unretained<RowPlanNode>>
    private let owned: [RowPlanNode]
    /// The node's name as a STRUCT field (UTF-8; empty elsewhere).
    let name: UnsafeMutableRawBufferPointer
    /// Per STRUCT value, which fields were seen. A node is never inside itself, so one set per node
    /// serves every value.
    let seen: UnsafeMutableBufferPointer<Bool>

    private init(type: KsqlType, name: String, children: [RowPlanNode], def: Int, elementRep: Int, leaves: Range<Int>) {
        self.def = def
        self.elementRep = elementRep
        self.leaves = leaves
        owned = children
        self.children = .allocate(capacity: children.count)
        _ = self.children.initialize(from: children.map { Unretained($0) })
        self.name = .allocate(byteCount: name.utf8.count, alignment: 1)
        self.name.copyBytes(from: name.utf8)
        var p = 0, sc = 0
        switch type {
        case .array: shape = .array
        case .map: shape = .map
        case .struct: shape = .structure
        default: shape = .scalar
        }
        switch type {
        case .boolean: scalar = .boolean
        case .integer: scalar = .integer
        case .bigint: scalar = .bigint
        case .double: scalar = .double
        case let .decimal(pr, s):
            p = pr
            sc = s
            scalar = pr <= 9 ? .decimal32 : (pr <= 18 ? .decimal64 : .decimalBytes)
        case .string: scalar = .string
        case .bytes: scalar = .bytes
        case .date: scalar = .date
        case .time: scalar = .time
        case .timestamp: scalar = .timestamp
        case .array, .map, .struct: scalar = .none
        }
        precision = p
        scale = sc
        seen = .allocate(capacity: shape == .structure ? children.count : 0)
        seen.initialize(repeating: false)
    }

    deinit {
        children.deallocate()
        name.deallocate()
        seen.deallocate()
    }

    /// Points every scalar node at its leaf's column writer.
    func bind(_ columns: [ColumnWriter]) {
        if shape == .scalar {
            column = columns[leaves.lowerBound]
            width = Int(columns[leaves.lowerBound].descriptor.typeLength ?? 16)
        }
        for child in owned { child.bind(columns) }
    }

    /// True when `key` is this node's name, exactly or (for a lower-cased JSON rendering) up to ASCII case.
    @inline(__always)
    func isNamed(_ key: UnsafeRawBufferPointer, ignoringCase: Bool) -> Bool {
        guard key.count == name.count else { return false }
        for i in 0..<key.count {
            let a = key[i], b = name[i]
            if a != b && !(ignoringCase && Self.lower(a) == Self.lower(b)) { return false }
        }
        return true
    }

    @inline(__always)
    private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }

    /// Compiles `type` (named `name` as a STRUCT field) whose parent sits at definition level `parentDef`
    /// and repetition level `parentRep`; `required` is for MAP keys. `nextLeaf` advances over the leaves
    /// created.
    static func build(_ type: KsqlType, name: String = "", parentDef: Int, parentRep: Int, required: Bool = false,
                      nextLeaf: inout Int) -> RowPlanNode {
        let def = parentDef + (required ? 0 : 1)
        let first = nextLeaf
        switch type {
        case let .array(e):
            let element = build(e, parentDef: def + 1, parentRep: parentRep + 1, nextLeaf: &nextLeaf)
            return RowPlanNode(type: type, name: name, children: [element], def: def, elementRep: parentRep + 1, leaves: first..<nextLeaf)
        case let .map(k, v):
            let key = build(k, parentDef: def + 1, parentRep: parentRep + 1, required: true, nextLeaf: &nextLeaf)
            let value = build(v, parentDef: def + 1, parentRep: parentRep + 1, nextLeaf: &nextLeaf)
            return RowPlanNode(type: type, name: name, children: [key, value], def: def, elementRep: parentRep + 1, leaves: first..<nextLeaf)
        case let .struct(fields):
            let children = fields.map { build($0.type, name: $0.name, parentDef: def, parentRep: parentRep, nextLeaf: &nextLeaf) }
            return RowPlanNode(type: type, name: name, children: children, def: def, elementRep: parentRep, leaves: first..<nextLeaf)
        default:
            nextLeaf += 1
            return RowPlanNode(type: type, name: name, children: [], def: def, elementRep: parentRep, leaves: first..<nextLeaf)
        }
    }
}
