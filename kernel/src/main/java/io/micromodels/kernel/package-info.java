/**
 * A Jupyter kernel for Java with the Micromodels jars on its class path: cells are evaluated by the JDK's JShell in
 * the kernel's JVM ({@link io.micromodels.kernel.MicromodelsKernel}), rich output comes from
 * {@link io.micromodels.kernel.Display}, and {@code ./micromodels kernel install} writes the kernelspec
 * ({@link io.micromodels.kernel.KernelSpec}). The Jupyter messaging is JJava's {@code jjava-jupyter} library.
 */
package io.micromodels.kernel;
