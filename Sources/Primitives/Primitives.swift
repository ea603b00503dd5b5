public enum PrimitivesMarker {}
