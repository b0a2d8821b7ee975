"""Writes the generated template datasets in this folder (python3 generate.py; numpy and
scikit-learn). Seeded: a rerun writes identical files. Each function says which real-world
pattern its data imitates; none of it describes real people, shops or machines.
breast-cancer.csv is scikit-learn's bundled copy of a public dataset, not generated (README.md).
"""
import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, header, rows):
    with open(os.path.join(HERE, name), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        for r in rows:
            w.writerow(['' if v is None else (round(v, 4) if isinstance(v, float) else v) for v in r])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def transactions(rng, n=3000):
    """Card fraud: ~3 % fraud, concentrated at night, card-not-present, far from home, in bursts
    (many transactions in 24 h) and at larger amounts; normal spending is log-normal by merchant."""
    cats = ['grocery', 'fuel', 'restaurant', 'online_retail', 'electronics', 'travel']
    rows = []
    for i in range(n):
        fraud = rng.random() < 0.03
        cat = rng.choice(cats, p=[.3, .15, .2, .2, .08, .07] if not fraud else [.05, .05, .05, .4, .3, .15])
        hour = int(rng.integers(0, 6)) if fraud and rng.random() < .6 else int(np.clip(rng.normal(14, 4), 0, 23))
        amount = float(np.exp(rng.normal(3.2, .8) + (1.3 if fraud else 0)))
        dist = float(np.exp(rng.normal(1.5, 1) + (2 if fraud else 0)))
        present = int(rng.random() < (.2 if fraud else .7))
        burst = int(rng.poisson(6 if fraud else 1.5))
        age = int(rng.integers(30, 4000))
        rows.append([f'T{i:05d}', round(amount, 2), hour, cat, round(dist, 1), present, burst, age, int(fraud)])
    write('transactions.csv', ['transaction_id', 'amount', 'hour', 'merchant_category', 'distance_from_home_km', 'card_present', 'transactions_last_24h', 'account_age_days', 'is_fraud'], rows)


def loans(rng, n=2000):
    """Loan default: risk rises with debt-to-income, past delinquencies and short employment and
    falls with income and credit history, as in public lending data; applicant sex has no effect of
    its own but correlates with income, so per-group metrics have something to show."""
    rows = []
    for i in range(n):
        sex = 'female' if rng.random() < .45 else 'male'
        age = int(np.clip(rng.normal(40, 11), 19, 75))
        income = float(np.exp(rng.normal(10.8 - (.12 if sex == 'female' else 0), .45)))
        amount = float(np.clip(rng.normal(income * .35, income * .12), 1000, None))
        term = int(rng.choice([12, 24, 36, 60]))
        emp = float(np.clip(rng.exponential(6), 0, age - 18))
        hist = float(np.clip(age - 18 - rng.exponential(4), 0, None))
        delinq = int(rng.poisson(.4))
        dti = float(np.clip(rng.normal(.3, .12), 0.01, .9))
        home = rng.choice(['rent', 'mortgage', 'own'], p=[.45, .4, .15])
        purpose = rng.choice(['car', 'debt_consolidation', 'home_improvement', 'education', 'business'])
        z = -2.6 + 9 * (dti - .3) + 1.1 * delinq - .15 * emp - .05 * hist - 2.2 * (np.log(income) - 10.8) + .5 * (term == 60) + .8 * (purpose == 'business') - .6 * (home == 'own')
        rows.append([f'L{i:05d}', age, sex, round(income), round(amount), term, round(emp, 1), round(hist, 1), delinq, round(dti, 3), home, purpose, int(rng.random() < sigmoid(z))])
    write('loans.csv', ['loan_id', 'age', 'sex', 'annual_income', 'loan_amount', 'term_months', 'employment_years', 'credit_history_years', 'past_delinquencies', 'debt_to_income', 'home_ownership', 'purpose', 'defaulted'], rows)


def customers_churn(rng, n=2000):
    """Telecom churn, after the public telco-churn pattern: month-to-month contracts, fibre without
    tech support, electronic cheques, short tenure and many support calls churn; totals are missing
    for brand-new customers and some answers are blank."""
    rows = []
    for i in range(n):
        contract = rng.choice(['month-to-month', 'one_year', 'two_year'], p=[.55, .25, .2])
        tenure = int(np.clip(rng.exponential(12 if contract == 'month-to-month' else 36), 0, 72))
        internet = rng.choice(['fiber', 'dsl', 'none'], p=[.45, .35, .2])
        support = 'none' if internet == 'none' else rng.choice(['yes', 'no'])
        pay = rng.choice(['electronic_check', 'mailed_check', 'bank_transfer', 'credit_card'])
        monthly = float(20 + (50 if internet == 'fiber' else 25 if internet == 'dsl' else 0) + rng.normal(10, 8))
        total = None if tenure == 0 or rng.random() < .03 else round(monthly * tenure * rng.uniform(.9, 1.1), 2)
        calls = int(rng.poisson(1.2 + (1.5 if internet == 'fiber' and support == 'no' else 0)))
        senior = int(rng.random() < .16)
        paperless = None if rng.random() < .05 else rng.choice(['yes', 'no'])
        z = -1.6 + 1.4 * (contract == 'month-to-month') - .9 * (contract == 'two_year') - .04 * tenure + .6 * (internet == 'fiber') + .5 * (support == 'no') + .6 * (pay == 'electronic_check') + .35 * calls + .3 * senior
        rows.append([f'C{i:05d}', tenure, contract, internet, support, pay, round(monthly, 2), total, calls, senior, paperless, 'yes' if rng.random() < sigmoid(z) else 'no'])
    write('telecom-customers.csv', ['customer_id', 'tenure_months', 'contract', 'internet_service', 'tech_support', 'payment_method', 'monthly_charges', 'total_charges', 'support_calls', 'senior_citizen', 'paperless_billing', 'churned'], rows)


def store_sales(rng, days=365, stores=4):
    """Daily store sales: a weekly cycle (weekends high), yearly seasonality, a slow trend, promotion
    lifts and holiday spikes, and each store its own level — the structure of the public retail
    forecasting competitions, where last week's sales are the strongest predictor."""
    start = np.datetime64('2023-01-01')
    rows = []
    for s in range(stores):
        level = [120, 200, 80, 150][s]
        noise = 0.0
        for d in range(days):
            date = start + d
            wd = (d + 6) % 7  # 2023-01-01 is a Sunday; 0 = Monday
            promo = int(rng.random() < .15)
            holiday = int(d in (0, 89, 90, 145, 184, 243, 326, 358, 359))
            noise = .6 * noise + rng.normal(0, .06)
            mult = (1 + .35 * (wd >= 5)) * (1 + .15 * np.sin(2 * np.pi * d / 365)) * (1 + .0008 * d) * (1 + .3 * promo) * (1 + .6 * holiday) * np.exp(noise)
            rows.append([str(date), f'store_{s + 1}', promo, holiday, round(level * mult, 1)])
    write('store-sales.csv', ['date', 'store', 'promo', 'holiday', 'sales'], rows)


def energy_load(rng, days=70):
    """Hourly electricity demand of a town: a daily profile with morning and evening peaks, lower at
    weekends, heating below 15 °C and cooling above 22 °C (the U shape of load against temperature)."""
    start = np.datetime64('2024-01-15T00:00')
    rows = []
    temp_day = 8.0
    for h in range(days * 24):
        t = start + np.timedelta64(h, 'h')
        hour, day = h % 24, h // 24
        if hour == 0:
            temp_day = 6 + 16 * day / days + rng.normal(0, 3)
        temp = temp_day + 5 * np.sin(2 * np.pi * (hour - 9) / 24) + rng.normal(0, 1)
        humidity = float(np.clip(70 - 1.2 * (temp - 10) + rng.normal(0, 8), 20, 100))
        wd = (day + 0) % 7  # 2024-01-15 is a Monday
        profile = 1 + .25 * np.exp(-((hour - 8) ** 2) / 6) + .4 * np.exp(-((hour - 19) ** 2) / 8) - .3 * (hour < 6)
        load = 500 * profile * (1 - .12 * (wd >= 5)) + 18 * max(0, 15 - temp) + 25 * max(0, temp - 22) + rng.normal(0, 15)
        rows.append([str(t).replace('T', ' ') + ':00', round(float(temp), 1), round(humidity, 1), round(float(load), 1)])
    write('energy-load.csv', ['timestamp', 'temperature_c', 'humidity_pct', 'load_mw'], rows)


def machine_sensors(rng, machines=20, days=120):
    """Daily sensor readings of machines: in the two weeks before a failure vibration and temperature
    drift upwards and pressure becomes erratic (wear), after which the machine is repaired; the label
    says whether it fails within the next 7 days, as in public predictive-maintenance datasets."""
    start = np.datetime64('2024-01-01')
    rows = []
    for m in range(machines):
        age = int(rng.integers(1, 15))
        next_fail = int(rng.integers(25, 80))
        for d in range(days):
            if d > next_fail:
                next_fail = d + int(rng.integers(30, 90))
            to_fail = next_fail - d
            wear = max(0, 14 - to_fail) / 14
            vib = 2 + .05 * age + 2.5 * wear ** 1.5 + rng.normal(0, .35)
            temp = 60 + 8 * wear + rng.normal(0, 1.8)
            pres = 100 + rng.normal(0, 2 + 6 * wear)
            rpm = 1500 - 60 * wear + rng.normal(0, 25)
            rows.append([f'M{m + 1:02d}', str(start + d), age, round(float(vib), 3), round(float(temp), 2), round(float(pres), 2), round(float(rpm), 1), int(to_fail <= 7)])
    write('machine-sensors.csv', ['machine_id', 'date', 'machine_age_years', 'vibration_mm_s', 'temperature_c', 'pressure_kpa', 'rpm', 'fails_within_7_days'], rows)


def reviews(rng, n=1200):
    """Short product reviews: positive and negative phrases about a product aspect, sometimes negated
    ("not worth it", "never again"), mixed sentiment and filler — the vocabulary of public review
    datasets, where word pairs such as "not good" carry the sentiment."""
    aspects = ['battery', 'screen', 'sound', 'delivery', 'price', 'build quality', 'charger', 'camera', 'case', 'app']
    good = ['great', 'excellent', 'good', 'amazing', 'solid', 'fantastic', 'reliable', 'perfect']
    bad = ['terrible', 'awful', 'poor', 'cheap', 'broken', 'disappointing', 'useless', 'flimsy']
    pos_tail = ['would buy again', 'highly recommend', 'worth every penny', 'love it', 'five stars']
    neg_tail = ['would not buy again', 'returned it', 'waste of money', 'never again', 'asking for a refund']
    filler = ['arrived on tuesday', 'bought it for my son', 'second one i own', 'used it for a week', 'came in a box']
    rows = []
    for i in range(n):
        pos = rng.random() < .55
        parts = []
        for _ in range(int(rng.integers(1, 3))):
            a = rng.choice(aspects)
            if rng.random() < .25:  # negation flips the adjective
                parts.append(f'the {a} is not {rng.choice(bad if pos else good)}')
            else:
                parts.append(f'the {a} is {rng.choice(good if pos else bad)}')
        if rng.random() < .3:  # one mixed remark
            parts.append(f'but the {rng.choice(aspects)} is {rng.choice(bad if pos else good)}')
        if rng.random() < .6:
            parts.append(rng.choice(pos_tail if pos else neg_tail))
        if rng.random() < .4:
            parts.insert(0, rng.choice(filler))
        text = ', '.join(parts).capitalize() + rng.choice(['.', '!', '', '...'])
        rows.append([f'R{i:05d}', text, 'positive' if pos else 'negative'])
    write('product-reviews.csv', ['review_id', 'review', 'sentiment'], rows)


def sessions(rng, n=2500):
    """Online shop visits: whether a visit ends in a purchase rises with product pages viewed, items
    added to the basket, time on product pages and returning visitors, and is higher in November,
    after the public online-shoppers-intention data (about 15 % of visits buy)."""
    rows = []
    for i in range(n):
        returning = int(rng.random() < .8)
        pages = int(rng.poisson(12 + 6 * returning))
        minutes = float(max(0, rng.normal(pages * .9, 4)))
        cart = int(rng.poisson(.2 + pages / 25))
        bounce = float(np.clip(rng.beta(1, 20) + (.15 if pages < 3 else 0), 0, 1))
        month = rng.choice(['feb', 'mar', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'])
        device = rng.choice(['desktop', 'mobile', 'tablet'], p=[.55, .38, .07])
        source = rng.choice(['search', 'direct', 'email', 'social', 'ads'])
        past = int(rng.poisson(.6 * returning))
        z = -4 + 1.4 * cart + .05 * pages + .03 * minutes - 12 * bounce + .6 * past + 1.2 * (month == 'nov') + .6 * (source == 'email') - .5 * (device == 'mobile')
        rows.append([f'S{i:05d}', pages, round(minutes, 1), cart, round(bounce, 4), month, device, source, returning, past, int(rng.random() < sigmoid(z))])
    write('shop-sessions.csv', ['session_id', 'product_pages', 'product_minutes', 'basket_adds', 'bounce_rate', 'month', 'device', 'traffic_source', 'returning_visitor', 'past_purchases', 'purchased'], rows)


def house_prices(rng, n=1500):
    """House sale prices: price per square metre by neighbourhood, plus rooms, age, condition, garage
    and lot size, multiplicative noise — the structure of public house-price data (Ames, King County)."""
    hoods = {'old_town': 3200, 'riverside': 4100, 'hillcrest': 5200, 'industrial': 2300, 'suburbs': 2900}
    rows = []
    for i in range(n):
        hood = rng.choice(list(hoods))
        area = float(np.clip(rng.normal(130, 40), 40, 400))
        beds = int(np.clip(round(area / 35 + rng.normal(0, .7)), 1, 8))
        baths = int(np.clip(round(beds / 2 + rng.normal(0, .5)), 1, 5))
        year = int(np.clip(rng.normal(1975, 25), 1900, 2023))
        cond = int(rng.integers(1, 6))
        garage = int(rng.choice([0, 1, 2, 3], p=[.2, .4, .35, .05]))
        lot = float(area * rng.uniform(1.5, 6))
        price = hoods[hood] * area * (1 + .004 * (year - 1975)) * (1 + .06 * (cond - 3)) * (1 + .04 * garage) * (1 + .0002 * (lot - 3 * area)) * np.exp(rng.normal(0, .08))
        rows.append([f'H{i:05d}', hood, round(area, 1), round(lot), beds, baths, year, cond, garage, round(float(price), -2)])
    write('house-prices.csv', ['house_id', 'neighbourhood', 'living_area_m2', 'lot_area_m2', 'bedrooms', 'bathrooms', 'year_built', 'condition', 'garage_cars', 'price'], rows)


def shoppers_rfm(rng):
    """Customers of a shop by recency, frequency and spend (RFM): four segments as in retail
    segmentation studies — loyal big spenders, regulars, new customers and lapsed ones."""
    segs = [  # (count, recency days, orders/yr, avg basket, tenure months)
        (150, 8, 30, 95, 48), (350, 20, 12, 45, 30), (250, 15, 2, 35, 3), (250, 200, 3, 40, 36)]
    rows, i = [], 0
    for count, rec, freq, basket, tenure in segs:
        for _ in range(count):
            r = float(max(1, rng.normal(rec, rec * .35)))
            f = int(max(1, rng.normal(freq, freq * .25)))
            b = float(max(5, rng.normal(basket, basket * .2)))
            t = float(max(1, rng.normal(tenure, tenure * .25)))
            rows.append([f'K{i:05d}', round(r), f, round(b, 2), round(f * b, 2), round(t)])
            i += 1
    order = rng.permutation(len(rows))
    write('shop-customers.csv', ['customer_id', 'recency_days', 'orders_per_year', 'avg_basket', 'yearly_spend', 'tenure_months'], [rows[k] for k in order])


def breast_cancer():
    """Not generated: scikit-learn's bundled Wisconsin Diagnostic Breast Cancer data, snake_case names."""
    from sklearn.datasets import load_breast_cancer
    d = load_breast_cancer()
    names = [n.replace(' ', '_') for n in d.feature_names]
    write('breast-cancer.csv', names + ['diagnosis'], [[str(float(v)) for v in x] + [d.target_names[t]] for x, t in zip(d.data, d.target)])


if __name__ == '__main__':
    for i, make in enumerate([transactions, loans, customers_churn, store_sales, energy_load, machine_sensors, reviews, sessions, house_prices, shoppers_rfm]):
        make(np.random.default_rng(1000 + i))
    breast_cancer()
