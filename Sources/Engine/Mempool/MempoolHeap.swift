/// A binary min-heap: `first` is the smallest element by `<`. The mempool's two priority
/// queues (the eviction candidates and the block builder's senders) use it.
struct MempoolHeap<Element: Comparable> {
    private(set) var elements: [Element] = []

    init() {}

    /// Heapifies in O(n).
    init(_ elements: [Element]) {
        self.elements = elements
        var i = elements.count / 2
        while i > 0 { i -= 1; siftDown(i) }
    }

    var count: Int { elements.count }
    var isEmpty: Bool { elements.isEmpty }
    var first: Element? { elements.first }

    mutating func push(_ e: Element) {
        elements.append(e)
        siftUp(elements.count - 1)
    }

    mutating func popFirst() -> Element? {
        guard !elements.isEmpty else { return nil }
        let last = elements.removeLast()
        guard !elements.isEmpty else { return last }
        let top = elements[0]
        elements[0] = last
        siftDown(0)
        return top
    }

    /// Replaces the smallest element with `e` (one sift instead of a pop and a push).
    mutating func replaceFirst(with e: Element) {
        precondition(!elements.isEmpty)
        elements[0] = e
        siftDown(0)
    }

    mutating func removeAll() { elements.removeAll() }

    private mutating func siftUp(_ index: Int) {
        var i = index
        let e = elements[i]
        while i > 0 {
            let parent = (i - 1) / 2
            guard e < elements[parent] else { break }
            elements[i] = elements[parent]
            i = parent
        }
        elements[i] = e
    }

    private mutating func siftDown(_ index: Int) {
        var i = index
        let n = elements.count
        let e = elements[i]
        while true {
            var child = 2 * i + 1
            if child >= n { break }
            if child + 1 < n, elements[child + 1] < elements[child] { child += 1 }
            guard elements[child] < e else { break }
            elements[i] = elements[child]
            i = child
        }
        elements[i] = e
    }
}

extension MempoolHeap: Sendable where Element: Sendable {}
