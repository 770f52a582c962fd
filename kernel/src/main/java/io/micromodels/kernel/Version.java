package io.micromodels.kernel;

/** The kernel's version, reported in kernel_info. */
final class Version {
    static final String VALUE = "0.1.0";

    private Version() {
    }
}
