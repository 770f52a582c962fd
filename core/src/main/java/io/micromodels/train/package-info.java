/**
 * Training a micromodel: {@link io.micromodels.train.Trainer} fits a spec with early stopping on validation loss
 * and keeps the best epoch; {@link io.micromodels.train.Metrics} evaluates it with DL4J's evaluation classes.
 */
package io.micromodels.train;
