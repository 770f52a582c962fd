package io.micromodels.data;

import org.datavec.api.transform.metadata.ColumnMetaData;
import org.datavec.api.transform.metadata.DoubleMetaData;
import org.datavec.api.transform.schema.Schema;
import org.datavec.api.transform.transform.BaseTransform;
import org.datavec.api.writable.Writable;

import java.util.ArrayList;
import java.util.List;

/**
 * A DataVec transform that replaces one column, in place, by several double columns. Base of this package's own
 * transforms ({@link SafeOneHotTransform}, {@link CyclicalTimeTransform}). They are used programmatically inside a
 * {@link org.datavec.api.transform.TransformProcess}; the process itself is never serialised (the pipeline's JSON is
 * its own {@code PipelineSpec}), so they need no Jackson registration.
 */
abstract class ExpandColumnTransform extends BaseTransform {
    private static final long serialVersionUID = 1L;
    protected final String column;
    protected final List<String> outputs;
    private int columnIdx = -1;

    ExpandColumnTransform(String column, List<String> outputs) {
        this.column = column;
        this.outputs = List.copyOf(outputs);
    }

    @Override
    public void setInputSchema(Schema inputSchema) {
        super.setInputSchema(inputSchema);
        columnIdx = inputSchema.getIndexOfColumn(column);
        if (columnIdx < 0) {
            throw new IllegalStateException("column '" + column + "' is not in the schema " + inputSchema.getColumnNames());
        }
    }

    @Override
    public Schema transform(Schema inputSchema) {
        int idx = inputSchema.getIndexOfColumn(column);
        List<ColumnMetaData> meta = new ArrayList<>(inputSchema.numColumns() - 1 + outputs.size());
        for (int i = 0; i < inputSchema.numColumns(); i++) {
            if (i == idx) {
                for (String name : outputs) {
                    meta.add(new DoubleMetaData(name));
                }
            } else {
                meta.add(inputSchema.getMetaData(i));
            }
        }
        return inputSchema.newSchema(meta);
    }

    @Override
    public List<Writable> map(List<Writable> writables) {
        List<Writable> out = new ArrayList<>(writables.size() - 1 + outputs.size());
        for (int i = 0; i < writables.size(); i++) {
            if (i == columnIdx) {
                expand(writables.get(i), out);
            } else {
                out.add(writables.get(i));
            }
        }
        return out;
    }

    /** Appends exactly {@code outputs.size()} writables for one cell. */
    abstract void expand(Writable cell, List<Writable> out);

    @Override
    public Object map(Object input) {
        throw new UnsupportedOperationException("single-value mapping is not supported by " + getClass().getSimpleName());
    }

    @Override
    public Object mapSequence(Object sequence) {
        throw new UnsupportedOperationException("sequences are not supported by " + getClass().getSimpleName());
    }

    @Override
    public String outputColumnName() {
        return outputs.get(0);
    }

    @Override
    public String[] outputColumnNames() {
        return outputs.toArray(new String[0]);
    }

    @Override
    public String[] columnNames() {
        return new String[] {column};
    }

    @Override
    public String columnName() {
        return column;
    }
}
