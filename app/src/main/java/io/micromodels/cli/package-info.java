/**
 * The {@code micromodels} command line (picocli): quickstart, train, predict, datasets, tune, explain, serve and
 * bench. Entry point: {@link io.micromodels.cli.Main}.
 */
package io.micromodels.cli;
