#!/usr/bin/python3
"""
Writes the small public datasets the learner parity tests use, each split ONCE (seeded, stratified
for classification) into test/fixtures/datasets/<name>.train.csv and <name>.test.csv.
The CSVs are committed; this script documents exactly how they were made.

  breast_cancer  binary      sklearn's bundled Wisconsin breast cancer (569 x 30), target 0/1
  penguins_sex   binary      Palmer penguins from the vega-datasets npm package (3.2.1): predict sex
                             from 4 measurements + one-hot species and island; rows with missing
                             measurements or sex dropped (333 rows). A real, noisier binary task than
                             breast_cancer (~90% accuracy), with mixed scale and 0/1 features.
  digits         multiclass  sklearn's bundled 8x8 digits (1797 x 64, 10 classes); has constant pixels
  diabetes       regression  sklearn's bundled diabetes (442 x 10)

Run: /usr/bin/python3 scripts/make-parity-datasets.py [path/to/penguins.json]
The penguins file comes from `npm pack vega-datasets@3.2.1` (package/data/penguins.json); when no
path is given, node_modules/vega-datasets/data/penguins.json is tried.
"""
import json
import os
import re
import sys

import numpy as np
import pandas as pd
from sklearn import datasets
from sklearn.model_selection import train_test_split

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'datasets')
SEED = 0
TEST_SIZE = 0.3


def clean_name(s):
    return re.sub(r'_+', '_', ''.join(c if c.isalnum() else '_' for c in s.strip().lower())).strip('_')


def write(name, X, y, stratify):
    X = X.copy()
    X.columns = [clean_name(c) for c in X.columns]
    X['target'] = y
    train, test = train_test_split(
        X, test_size=TEST_SIZE, random_state=SEED, stratify=y if stratify else None)
    os.makedirs(OUT, exist_ok=True)
    for part, df in (('train', train), ('test', test)):
        df.to_csv(os.path.join(OUT, f'{name}.{part}.csv'), index=False, float_format='%.10g')
    print(f'{name}: train {len(train)}, test {len(test)}, features {X.shape[1] - 1}')


def penguins(path):
    rows = json.load(open(path))
    df = pd.DataFrame(rows)
    df = df[df['Sex'].isin(['MALE', 'FEMALE'])].dropna()
    y = df['Sex'].str.lower().to_numpy()
    num = df[['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)']]
    num = num.astype(float)
    cats = pd.get_dummies(df[['Species', 'Island']], dtype=float)
    X = pd.concat([num, cats], axis=1).reset_index(drop=True)
    return X, y


def main():
    bc = datasets.load_breast_cancer(as_frame=True)
    write('breast_cancer', bc.data, bc.target.to_numpy(), True)

    candidates = sys.argv[1:] or [os.path.join(os.path.dirname(OUT), '..', '..', 'node_modules',
                                               'vega-datasets', 'data', 'penguins.json')]
    path = next((p for p in candidates if os.path.exists(p)), None)
    if path is None:
        sys.exit('penguins.json not found: run `npm pack vega-datasets@3.2.1`, untar it, and pass '
                 'package/data/penguins.json as the first argument')
    X, y = penguins(path)
    write('penguins_sex', X, y, True)

    dg = datasets.load_digits(as_frame=True)
    write('digits', dg.data, dg.target.to_numpy(), True)

    db = datasets.load_diabetes(as_frame=True)
    write('diabetes', db.data, db.target.to_numpy(), False)


if __name__ == '__main__':
    main()
