//! Whole-flow tests of the neighbour layer.
