"""Report sheets of the extended analyses: 空间自相关, 动态演进, 地理探测器, 重心与椭圆, 预测, 规模结构.

Each sheet opens with findings written from the numbers, then its tables (long ones go to
CSV sidecar files through :func:`coordeval.report._context.fit_table`). The sheets close
:data:`coordeval.report.workbook.SHEETS` and appear only when their tables exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from coordeval.report._context import Context, fit_table
from coordeval.report._xlsx import HEADER_ROW, P_FORMAT, put, section, sheet_header, write_frame

if TYPE_CHECKING:
    from coordeval.assessment import Assessment

Finding = tuple[str, str]
Block = tuple[str, pd.DataFrame, dict[str, str] | None]

P_COLUMNS = ("p", "p_norm", "p_rand", "p_sim", "geary_p_norm", "geary_p_sim")


def _p_formats(df: pd.DataFrame) -> dict[str, str]:
    return {c: P_FORMAT for c in df.columns if str(c) in P_COLUMNS}


def _p(p: float) -> str:
    """A p-value for a sentence: ``"= 0.0123"`` or ``"< 0.0001"``."""
    return "< 0.0001" if p < 1e-4 else f"= {p:.4f}"


def _text(ctx: Context, f: Finding) -> list[str]:
    zh, en = f
    return {"zh": [zh], "en": [en]}.get(ctx.lang, [zh] if zh == en else [zh, en])


def _layout(ws: Worksheet, ctx: Context, findings: list[Finding], blocks: list[Block]) -> None:
    """Findings (one per row, wrapped across the first columns), then titled tables."""
    row = HEADER_ROW
    section(
        ws, row - 1, 1, {"zh": "主要发现", "en": "Findings"}.get(ctx.lang, "主要发现 / Findings")
    )
    for f in findings:
        for line in _text(ctx, f):
            put(ws, row, 1, line)
            ws.cell(row=row, column=1).alignment = Alignment(wrap_text=False, vertical="top")
            row += 1
    row += 2
    first = True
    yes, no = {"zh": ("是", "否"), "en": ("yes", "no")}.get(ctx.lang, ("是 yes", "否 no"))
    for title, df, fmt in blocks:
        if df is None or df.empty:
            continue
        flags = [c for c in df.columns if pd.api.types.is_bool_dtype(df[c])]
        if flags:
            df = df.assign(**{str(c): df[c].map({True: yes, False: no}) for c in flags})
        section(ws, row - 1, 1, title)
        last, _ = write_frame(ws, df, ctx, (fmt or {}) | _p_formats(df), top=row, freeze=first)
        first = False
        row = last + 4


def _latest(t: pd.DataFrame, variable: str) -> pd.DataFrame:
    sub = t[t["variable"] == variable]
    return sub[sub["year"] == sub["year"].max()]


def _focus(t: pd.DataFrame) -> str:
    """D if present, else the composite, else the first variable."""
    names = list(dict.fromkeys(t["variable"]))
    return "D" if "D" in names else ("composite" if "composite" in names else names[0])


def _autocorrelation(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    t = a.tables
    sheet_header(
        ws,
        "空间自相关",
        "Spatial autocorrelation",
        ctx.lang,
        "global Moran's I, Geary's C, LISA clusters, Getis-Ord Gi* hot and cold spots",
    )
    moran, lisa, hot = t["moran"], t["lisa"], t["hotspots"]
    v = _focus(moran)
    m = moran[moran["variable"] == v]
    sig = m[(m["p_sim"] < 0.05) & (m["I"] > m["EI"])]
    last = m.iloc[-1]
    findings: list[Finding] = [
        (
            f"{v} 的全局 Moran's I 在 {len(m)} 年中有 {len(sig)} 年显著为正（置换 p < 0.05）；"
            f"{int(last['year'])} 年 I = {last['I']:.3f}（E[I] = {last['EI']:.3f}，置换 p = "
            f"{last['p_sim']:.3f}，Geary's C = {last['geary_C']:.3f}）。",
            f"Global Moran's I of {v} is significantly positive (permutation p < 0.05) in "
            f"{len(sig)} of {len(m)} years; in {int(last['year'])} I = {last['I']:.3f} (E[I] = "
            f"{last['EI']:.3f}, permutation p = {last['p_sim']:.3f}, Geary's C = {last['geary_C']:.3f}).",
        )
    ]
    ll = _latest(lisa, v)
    counts = ll["cluster"].value_counts()
    hh = ", ".join(map(str, ll.loc[ll["cluster"] == "HH", "city"].head(6))) or "—"
    lo = ", ".join(map(str, ll.loc[ll["cluster"] == "LL", "city"].head(6))) or "—"
    yr = int(ll["year"].max())
    findings.append(
        (
            f"{yr} 年 LISA（p < 0.05）：高-高 {counts.get('HH', 0)} 个（{hh}），低-低 "
            f"{counts.get('LL', 0)} 个（{lo}），低-高 {counts.get('LH', 0)} 个，高-低 "
            f"{counts.get('HL', 0)} 个，不显著 {counts.get('not significant', 0)} 个。",
            f"LISA {yr} (p < 0.05): high-high {counts.get('HH', 0)} ({hh}), low-low "
            f"{counts.get('LL', 0)} ({lo}), low-high {counts.get('LH', 0)}, high-low "
            f"{counts.get('HL', 0)}, not significant {counts.get('not significant', 0)}.",
        )
    )
    hl = _latest(hot, v)
    hot_c = hl.loc[hl["band"].str.startswith("hot") & (hl["band"] != "hot spot 90%"), "city"]
    cold_c = hl.loc[hl["band"].str.startswith("cold") & (hl["band"] != "cold spot 90%"), "city"]
    findings.append(
        (
            f"{yr} 年 Gi* 热点（≥95%）{len(hot_c)} 个：{', '.join(map(str, hot_c.head(8))) or '—'}；"
            f"冷点（≥95%）{len(cold_c)} 个：{', '.join(map(str, cold_c.head(8))) or '—'}。",
            f"Gi* {yr}: {len(hot_c)} hot spots at ≥95% ({', '.join(map(str, hot_c.head(8))) or '—'}); "
            f"{len(cold_c)} cold spots ({', '.join(map(str, cold_c.head(8))) or '—'}).",
        )
    )
    findings.append(
        (
            "p 值约定：p_norm、p_rand 为正态近似双侧 p；p_sim 为置换伪 p（esda 约定，单侧折叠）。"
            "聚类类型按名称给出（HH、LL、LH、HL），不用数字代码（esda 与 GeoDa 编码不同）。",
            "p-values: p_norm, p_rand two-sided normal; p_sim the folded one-sided permutation "
            "pseudo p (esda). Cluster types are named (HH, LL, LH, HL), never coded by number "
            "(esda and GeoDa number them differently).",
        )
    )
    cluster_counts = (
        lisa.groupby(["variable", "year"], sort=False)["cluster"]
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=["HH", "LL", "LH", "HL", "not significant"], fill_value=0)
    )
    band_counts = (
        hot.groupby(["variable", "year"], sort=False)["band"].value_counts().unstack(fill_value=0)
    )
    # the per-city tables go whole to CSV files; the sheet shows the latest year of the focus
    if "spatial_weights_matrix" in t:
        ctx.sidecars["spatial_weights_matrix"] = t["spatial_weights_matrix"]
        findings.append(
            (
                f"空间权重矩阵（城市 × 城市，按所用形式）见 {ctx.stem}_spatial_weights_matrix.csv。",
                f"The spatial weight matrix (city × city, as used) is in "
                f"{ctx.stem}_spatial_weights_matrix.csv.",
            )
        )
    ctx.sidecars["lisa"] = lisa
    ctx.sidecars["hotspots"] = hot
    lisa_t = ll.set_index("city").drop(columns=["variable", "year"])
    hot_t = hl.set_index("city").drop(columns=["variable", "year"])
    note1 = (
        f"{v}，{yr} 年；全部变量与年份见 {ctx.stem}_lisa.csv / all variables and years in "
        f"{ctx.stem}_lisa.csv"
    )
    note2 = f"{v}，{yr} 年；全部见 {ctx.stem}_hotspots.csv / all in {ctx.stem}_hotspots.csv"
    _layout(
        ws,
        ctx,
        findings,
        [
            ("空间权重 / Spatial weights", t["spatial_weights"], None),
            (
                "全局 Moran's I 与 Geary's C / Global Moran's I and Geary's C",
                moran.set_index(["variable", "year"]),
                None,
            ),
            ("LISA 聚类数 / LISA cluster counts", cluster_counts, None),
            ("Gi* 冷热点数 / Gi* hot and cold spot counts", band_counts, None),
            ("LISA（各城市）/ LISA by city" + (f" — {note1}" if note1 else ""), lisa_t, None),
            ("Gi*（各城市）/ Gi* by city" + (f" — {note2}" if note2 else ""), hot_t, None),
        ],
    )


def _class_names(a: Assessment, lang: str) -> dict[str, str]:
    """Markov class labels in ``lang`` (``{}`` when the classes are not named grades).

    Grade classes are labelled with the Chinese grade names; English reports show the
    English names, bilingual ones both (``"中文 / English"``).
    """
    zh_en: dict[str, str] = dict(a.meta.get("markov_class_names") or {})
    if lang == "zh":
        return {}
    return {zh: en if lang == "en" else f"{zh} / {en}" for zh, en in zh_en.items()}


def _relabel(df: pd.DataFrame | None, names: dict[str, str]) -> pd.DataFrame | None:
    """A Markov table with its class labels (index, columns, ``class``) renamed."""
    if df is None or not names:
        return df
    out = df.rename(index=names, columns=names)
    if "class" in out.columns:
        out["class"] = out["class"].map(lambda c: names.get(c, c))
    return out


def _dynamics(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    t = a.tables
    en = _class_names(a, "en")
    shown = _class_names(a, ctx.lang)
    sheet_header(
        ws, "动态演进", "Distribution dynamics", ctx.lang, "Markov and spatial Markov chains of D"
    )
    P = t["markov_probabilities"]
    ok = P[P["status"] == "ok"]
    classes = [c for c in P.columns if c not in ("n", "status")]
    diag = np.array([ok.loc[c, c] for c in ok.index if c in classes])
    mv = t["markov_moves"].iloc[0]
    findings: list[Finding] = [
        (
            f"保持原类的概率为 {diag.min():.3f}–{diag.max():.3f}；全部转移中上移 {mv['up']:.1%}、"
            f"不变 {mv['stay']:.1%}、下移 {mv['down']:.1%}（{int(mv['n'])} 次）。",
            f"Probability of staying in the same class {diag.min():.3f}–{diag.max():.3f}; of all "
            f"{int(mv['n'])} transitions {mv['up']:.1%} moved up, {mv['stay']:.1%} stayed, "
            f"{mv['down']:.1%} moved down.",
        )
    ]
    empty = list(P.index[P["status"] != "ok"])
    if empty:
        findings.append(
            (
                f"无观测的类：{', '.join(map(str, empty))}（概率留空，不以 0 代替）。",
                f"Classes without observations: {', '.join(en.get(c, str(c)) for c in empty)} "
                "(left empty, not 0).",
            )
        )
    ss = t.get("markov_steady_state")
    if ss is not None and not ss.empty:
        top = ss.loc[ss["steady_state"].idxmax()]
        findings.append(
            (
                f"稳态分布中占比最大的是 {top['class']}（{top['steady_state']:.1%}）。",
                f"In the steady state the largest class is {en.get(top['class'], top['class'])} "
                f"({top['steady_state']:.1%}).",
            )
        )
    hom = t.get("spatial_markov_homogeneity")
    if hom is not None and not hom.empty:
        lr = hom.iloc[0]
        verdict_zh = "显著影响" if lr["p"] < 0.05 else "未显著影响"
        verdict_en = "does" if lr["p"] < 0.05 else "does not significantly"
        findings.append(
            (
                f"邻居类别{verdict_zh}转移概率（LR = {lr['statistic']:.2f}，自由度 {int(lr['dof'])}，"
                f"p {_p(lr['p'])}）。",
                f"The neighbours' class {verdict_en} change the transition probabilities (LR = "
                f"{lr['statistic']:.2f}, df {int(lr['dof'])}, p {_p(lr['p'])}).",
            )
        )
    for key in ("markov_notes", "spatial_markov_notes"):
        if key in t:
            findings += list(t[key].itertuples(index=False, name=None))
    _layout(
        ws,
        ctx,
        findings,
        [
            ("类别 / Classes", _relabel(t["markov_classes"], shown), None),
            ("转移概率 / Transition probabilities", _relabel(P, shown), None),
            ("转移次数 / Transition counts", _relabel(t["markov_counts"], shown), None),
            ("稳态分布 / Steady state", _relabel(t.get("markov_steady_state"), shown), None),
            (
                "平均首达时间（年）/ Mean first passage times (years)",
                _relabel(t.get("markov_first_passage"), shown),
                None,
            ),
            ("邻居类别 / Neighbour classes", t.get("spatial_markov_lag_classes"), None),
            (
                "空间马尔可夫稳态 / Spatial Markov steady states",
                t.get("spatial_markov_steady_state"),
                None,
            ),
            (
                "空间马尔可夫转移概率 / Spatial Markov probabilities",
                t.get("spatial_markov_probabilities"),
                None,
            ),
            ("同质性检验 / Homogeneity tests", hom, None),
        ],
    )


def _geodetector(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    t = a.tables
    sheet_header(
        ws,
        "地理探测器",
        "GeoDetector",
        ctx.lang,
        "factor, interaction, risk and ecological detectors of D",
    )
    f = t["geodetector_factor"].sort_values("q", ascending=False)
    best = f.iloc[0]
    findings: list[Finding] = [
        (
            f"解释力最强的因子是 {best['factor']}（q = {best['q']:.3f}，p {_p(best['p'])}，"
            f"{best['method']} {best['classes']} 类）；{int(f['significant'].sum())}/{len(f)} 个因子显著。",
            f"The strongest factor is {best['factor']} (q = {best['q']:.3f}, p {_p(best['p'])}, "
            f"{best['method']} with {best['classes']} classes); {int(f['significant'].sum())} of "
            f"{len(f)} factors are significant.",
        )
    ]
    inter = t.get("geodetector_interaction")
    if inter is not None and not inter.empty:
        top = inter.loc[inter["q_interaction"].idxmax()]
        findings.append(
            (
                f"最强交互：{top['factor_1']} ∩ {top['factor_2']}，q = {top['q_interaction']:.3f}（{top['type']}）。",
                f"Strongest interaction: {top['factor_1']} ∩ {top['factor_2']}, q = "
                f"{top['q_interaction']:.3f} ({top['type']}).",
            )
        )
    disc, note = fit_table(ctx, "geodetector_discretization", t["geodetector_discretization"])
    risk, note_r = fit_table(ctx, "geodetector_risk", t["geodetector_risk"])
    _layout(
        ws,
        ctx,
        findings,
        [
            ("因子探测 / Factor detector", f, None),
            ("交互探测 / Interaction detector", inter, None),
            ("生态探测 / Ecological detector", t.get("geodetector_ecological"), None),
            (
                "风险探测：分层均值 / Risk detector: stratum means",
                t.get("geodetector_risk_means"),
                None,
            ),
            (
                "风险探测：t 检验 / Risk detector: t-tests" + (f" — {note_r}" if note_r else ""),
                risk,
                None,
            ),
            ("离散化比较 / Discretisation search" + (f" — {note}" if note else ""), disc, None),
        ],
    )


def _centre(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    c = a.tables["centre_of_gravity"]
    sheet_header(
        ws,
        "重心与椭圆",
        "Centre of gravity and ellipse",
        ctx.lang,
        "D-weighted mean centre, standard deviational ellipse",
    )
    first, last = c.iloc[0], c.iloc[-1]
    from coordeval.kernels.centrography import bearing_deg
    from coordeval.kernels.spatial import haversine_pairs

    total = float(haversine_pairs(first["lon"], first["lat"], last["lon"], last["lat"]))
    az = float(bearing_deg(first["lon"], first["lat"], last["lon"], last["lat"]))
    change = (last["area_km2"] / first["area_km2"] - 1.0) * 100.0
    findings: list[Finding] = [
        (
            f"重心由 {int(first['year'])} 年 ({first['lon']:.3f}, {first['lat']:.3f}) 移至 {int(last['year'])} 年 "
            f"({last['lon']:.3f}, {last['lat']:.3f})，直线距离 {total:.1f} km，方位角 {az:.0f}°；"
            f"逐年移动合计 {c['shift_km'].sum():.1f} km。",
            f"The centre moved from ({first['lon']:.3f}, {first['lat']:.3f}) in {int(first['year'])} to "
            f"({last['lon']:.3f}, {last['lat']:.3f}) in {int(last['year'])}: {total:.1f} km at "
            f"azimuth {az:.0f}°; the yearly shifts add up to {c['shift_km'].sum():.1f} km.",
        ),
        (
            f"标准差椭圆面积变化 {change:+.1f}%，扁率 {first['flattening']:.3f} → {last['flattening']:.3f}，"
            f"长轴方位 {last['rotation_deg']:.0f}°（轴长约定 {last['correction']}）。",
            f"Ellipse area changed by {change:+.1f}%, flattening {first['flattening']:.3f} → "
            f"{last['flattening']:.3f}, major axis at {last['rotation_deg']:.0f}° (axis convention "
            f"{last['correction']}).",
        ),
    ]
    _layout(
        ws,
        ctx,
        findings,
        [("逐年重心与椭圆 / Centre and ellipse by year", c, None)],
    )


def _forecast(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    f = a.tables["forecast"]
    sheet_header(ws, "预测", "Forecasts", ctx.lang, "GM(1,1), ARIMA and ETS forecasts of D")
    years = [c for c in f.columns if str(c).isdigit()]
    gm = f[f["method"] == "GM(1,1)"]
    cm = gm[gm["unit"] == "cluster mean"]
    findings: list[Finding] = []
    if not cm.empty and cm.iloc[0]["status"] == "ok":
        r = cm.iloc[0]
        vals = "，".join(f"{y} 年 {r[y]:.3f}" for y in years)
        vals_en = ", ".join(f"{y}: {r[y]:.3f}" for y in years)
        findings.append(
            (
                f"GM(1,1) 预测全域平均 D：{vals}（C = {r['posterior_error_ratio']:.3f}，P = {r['small_error_probability']:.2f}，精度 {r['accuracy']}）。",
                f"GM(1,1) forecast of the cluster mean D: {vals_en} (C = {r['posterior_error_ratio']:.3f}, P = "
                f"{r['small_error_probability']:.2f}, accuracy {r['accuracy']}).",
            )
        )
    short = gm[gm["status"] != "ok"]
    graded = gm[gm["status"] == "ok"]["accuracy"].value_counts()
    findings.append(
        (
            f"城市 GM(1,1) 精度：{', '.join(f'{k} {v}' for k, v in graded.items())}；序列过短或不连续 {len(short)} 个。"
            "预测仅为趋势外推，规划目标请结合实际判断。",
            f"City GM(1,1) accuracy: {', '.join(f'{k} {v}' for k, v in graded.items())}; "
            f"{len(short)} series too short or with gaps. Forecasts extrapolate the trend only.",
        )
    )
    grey = a.tables.get("grey_relational")
    if grey is not None and not grey.empty:
        top = grey.sort_values("rank").iloc[0]
        findings.append(
            (
                f"与全域平均 D 灰色关联度最高的子系统是 {ctx.label(str(top['factor'])).replace(chr(10), ' ')}"
                f"（{top['relational_grade']:.3f}）。",
                f"The subsystem most closely related to the mean D (grey relational grade) is "
                f"{ctx.label(str(top['factor'])).replace(chr(10), ' ')} ({top['relational_grade']:.3f}).",
            )
        )
    table, note = fit_table(ctx, "forecast", f)
    _layout(
        ws,
        ctx,
        findings,
        [
            ("预测 / Forecasts" + (f" — {note}" if note else ""), table, None),
            ("灰色关联（ρ = 0.5）/ Grey relational grades (ρ = 0.5)", grey, None),
        ],
    )


def _structure(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    t = a.tables
    s = t["size_structure"]
    sheet_header(
        ws,
        "规模结构",
        "Size structure",
        ctx.lang,
        "primacy, rank-size (Zipf), HHI, gravity network",
    )
    first, last = s.iloc[0], s.iloc[-1]
    findings: list[Finding] = [
        (
            f"两城首位度 S2 {first['S2']:.2f} → {last['S2']:.2f}，位序-规模指数 q {first['zipf_q']:.3f} → "
            f"{last['zipf_q']:.3f}（R² {last['zipf_r2']:.3f}；q > 1 规模集中，q < 1 分散），HHI "
            f"{first['hhi']:.3f} → {last['hhi']:.3f}（{int(first['year'])}–{int(last['year'])}）。",
            f"Two-city primacy S2 {first['S2']:.2f} → {last['S2']:.2f}, rank-size exponent q "
            f"{first['zipf_q']:.3f} → {last['zipf_q']:.3f} (R² {last['zipf_r2']:.3f}; q > 1 "
            f"concentrated, q < 1 dispersed), HHI {first['hhi']:.3f} → {last['hhi']:.3f} "
            f"({int(first['year'])}–{int(last['year'])}).",
        )
    ]
    net = t.get("gravity_network")
    blocks: list[Block] = [("规模结构 / Size structure", s, None)]
    if net is not None:
        cen = (
            t["gravity_centrality"]
            .sort_values("betweenness_centrality", ascending=False)
            .reset_index(drop=True)
        )
        hub = cen.iloc[0]
        findings.append(
            (
                f"引力联系网络密度 {net.iloc[0]['density']:.3f}（{int(net.iloc[0]['links'])} 条连边）；"
                f"中介中心度最高的是 {hub['city']}（{hub['betweenness_centrality']:.3f}）。",
                f"Gravity network density {net.iloc[0]['density']:.3f} ({int(net.iloc[0]['links'])} "
                f"links); highest betweenness: {hub['city']} ({hub['betweenness_centrality']:.3f}).",
            )
        )
        ctx.sidecars["gravity_links"] = t["gravity_links"]
        links = t["gravity_links"].head(20)
        note = (
            f"最强 20 对；全部见 {ctx.stem}_gravity_links.csv / strongest 20 pairs; all in "
            f"{ctx.stem}_gravity_links.csv"
        )
        blocks += [
            ("引力网络 / Gravity network", net, None),
            ("中心性 / Centrality", cen, None),
            ("城市联系强度 / Linkage strength" + (f" — {note}" if note else ""), links, None),
        ]
    _layout(ws, ctx, findings, blocks)


SheetWriter = Callable[["Assessment", Worksheet, "Context"], None]

#: (sheet name, writer, applies) of the extended analyses, in report order.
SHEETS: list[tuple[str, SheetWriter, Callable[[Assessment], bool]]] = [
    ("空间自相关", _autocorrelation, lambda a: "moran" in a.tables),
    ("动态演进", _dynamics, lambda a: "markov_probabilities" in a.tables),
    ("地理探测器", _geodetector, lambda a: "geodetector_factor" in a.tables),
    ("重心与椭圆", _centre, lambda a: "centre_of_gravity" in a.tables),
    ("预测", _forecast, lambda a: "forecast" in a.tables),
    ("规模结构", _structure, lambda a: "size_structure" in a.tables),
]
