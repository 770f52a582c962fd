/**
 * Defining a micromodel: the immutable, validated {@link io.micromodels.spec.MicromodelSpec} (layers,
 * activations, dropout, L1/L2, loss, optimiser, seed, epochs, batch size, patience), its exact JSON form, and
 * its DL4J {@link org.deeplearning4j.nn.conf.MultiLayerConfiguration}. Entry point: {@link io.micromodels.spec.Micromodel}.
 */
package io.micromodels.spec;
