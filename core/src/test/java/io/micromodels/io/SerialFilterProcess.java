package io.micromodels.io;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import java.io.ByteArrayInputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import org.deeplearning4j.arbiter.optimize.generator.util.SerializedSupplier;

/**
 * A separate JVM for {@code SerialFilterTest}: installs the JVM-wide filter as the CLI does, then prints what an
 * Arbiter candidate copy and two crafted payloads give.
 */
public final class SerialFilterProcess {
    private SerialFilterProcess() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("installed " + SerialFilter.installIfAbsent());
        MicromodelSpec spec = Micromodel.classifier(2).input(3).dense(4, Activation.TANH).dropout(0.2).adam(1e-2).seed(5).build();
        Object copy = new SerializedSupplier<>(spec).get();
        System.out.println("arbiter copy equal " + spec.equals(copy));
        for (byte[] payload : new byte[][] {Payloads.hashSetBomb(), Payloads.arrayList()}) {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
                in.readObject();
                System.out.println("payload read");
            } catch (InvalidClassException e) {
                System.out.println("payload " + e.getMessage());
            }
        }
    }
}
