"""Animations on synthetic Recordings: frame counts, one shared GIF palette, size,
every module with the animation shape."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import GifImagePlugin, Image

from gradviz import animations, style
from gradviz.animations import FrameRenderer, durations_ms

pytestmark = pytest.mark.filterwarnings("error", "ignore::ResourceWarning")


def gif_blocks(data: bytes):
    """Parse a GIF: ``(global_table, [local_table_or_None per image], loop_count)``."""
    assert data[:6] in (b"GIF87a", b"GIF89a")
    flags = data[10]
    pos = 13
    global_table = None
    if flags & 0x80:
        n = 3 * 2 ** ((flags & 7) + 1)
        global_table = data[pos:pos + n]
        pos += n
    locals_, loop = [], None
    while pos < len(data):
        b = data[pos]
        if b == 0x3B:
            break
        if b == 0x21:
            label = data[pos + 1]
            pos += 2
            first = True
            while data[pos]:
                size = data[pos]
                block = data[pos + 1:pos + 1 + size]
                if label == 0xFF and first and block.startswith(b"NETSCAPE2.0"):
                    sub = data[pos + 1 + size:pos + 1 + size + 4]
                    loop = int.from_bytes(sub[2:4], "little")
                first = False
                pos += size + 1
            pos += 1
        elif b == 0x2C:
            fl = data[pos + 9]
            pos += 10
            local = None
            if fl & 0x80:
                n = 3 * 2 ** ((fl & 7) + 1)
                local = data[pos:pos + n]
                pos += n
            locals_.append(local)
            pos += 1                      # LZW minimum code size
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
        else:
            raise AssertionError(f"bad GIF block 0x{b:02x} at {pos}")
    return global_table, locals_, loop


def check_gif(path, n_frames):
    data = path.read_bytes()
    global_table, locals_, loop = gif_blocks(data)
    assert global_table is not None, "no global colour table"
    assert len(locals_) == n_frames
    assert all(t is None for t in locals_), "a frame carries its own palette"
    assert loop == 0
    old = GifImagePlugin.LOADING_STRATEGY
    GifImagePlugin.LOADING_STRATEGY = GifImagePlugin.LoadingStrategy.RGB_AFTER_DIFFERENT_PALETTE_ONLY
    try:
        with Image.open(path) as im:
            assert im.n_frames == n_frames
            palettes, durations = set(), []
            for k in range(im.n_frames):
                im.seek(k)
                assert im.mode == "P", f"frame {k} was decoded with a different palette"
                palettes.add(bytes(im.getpalette()))
                durations.append(im.info["duration"])
    finally:
        GifImagePlugin.LOADING_STRATEGY = old
    assert len(palettes) == 1
    assert min(durations) >= 20
    return data


@pytest.mark.parametrize("name,kind,frames,options", [
    ("hist_anim", "nan", 11, {}),
    ("heatmap_anim", "nan", 11, {}),
    ("boundary_anim", "boundary", 11, {}),
    ("surface_anim", "surface", 40, {"frames": 40}),
])
def test_every_animation(name, kind, frames, options, recs, tmp_path):
    outs = animations.render_animations(recs(kind), tmp_path, [name], fps=10, options={name: options})
    assert len(outs) == 1
    o = outs[0]
    assert o.path == tmp_path / f"{name}.gif" and o.kind == "animation"
    assert o.extra["frames"] == frames
    check_gif(o.path, frames)
    assert o.caption and o.alt.startswith(f"Animation with {frames} frames")
    with Image.open(o.path) as im:
        s = style.get_size("web")
        assert im.size == (round(s.width * style.DEFAULT_DPI), round(s.height * style.DEFAULT_DPI))
        if name == "heatmap_anim":
            # the NaN/Inf colour must survive the shared palette exactly, and white stay white
            im.seek(im.n_frames - 1)
            a = np.asarray(im.convert("RGB")).astype(int)
            magenta = np.array([int(style.NONFINITE[i:i + 2], 16) for i in (1, 3, 5)])
            assert (np.abs(a - magenta).sum(-1) == 0).sum() > 100
            assert (a == 255).all(-1).mean() > 0.3


def test_hundred_frame_gif_under_2mb(recs, tmp_path):
    # the boundary animation changes almost every pixel of its panels each frame:
    # the worst case for GIF size among the animations
    rec = recs("boundary", records=100)
    outs = animations.render_animations(rec, tmp_path, ["boundary_anim"])
    data = check_gif(outs[0].path, 100)
    assert len(data) <= 2_000_000, f"{len(data) / 1e6:.2f} MB"


def test_frames_reuse_one_figure(recs):
    fig, scene = animations.build(recs("nan"), "hist_anim", dpi=40)
    with style.style_context("web"):
        fr = FrameRenderer(fig, scene)
        a, b = fr.rgb(0), fr.rgb(scene.n_frames - 1)
        assert fr.fig is fig and a.size == b.size
        assert np.asarray(a).tobytes() != np.asarray(b).tobytes()
        assert all(ar.get_animated() for ar in scene.artists)


def test_frames_option_and_durations(recs, tmp_path):
    outs = animations.render_animations(recs("vanishing"), tmp_path, ["heatmap_anim"], fps=100,
                                      options={"heatmap_anim": {"frames": 4}}, dpi=40)
    assert outs[0].extra["frames"] == 4
    durs = outs[0].extra["durations_ms"]
    # 100 fps is clamped to 200 ms per frame; the first (initialization) and last frames held 1.5 s
    assert durs == [1500, 200, 200, 1500]
    assert durations_ms(3, 2) == [1500, 500, 1500] and durations_ms(1, 8) == [1500]
    assert min(durations_ms(10, 60)) >= 200


def test_gif_alt_text_says_what_changes(recs, tmp_path):
    from PIL import Image
    outs = animations.render_animations(recs("vanishing"), tmp_path, ["heatmap_anim"], dpi=40,
                                        options={"heatmap_anim": {"frames": 3}})
    alt = outs[0].alt
    assert "fill in from left to right" in alt and "held for 1.5 s" in alt
    assert f"to step {int(recs('vanishing').steps[-1])}" in alt
    with Image.open(outs[0].path) as im:
        assert im.info["comment"].decode("utf-8") == alt
        assert im.info["duration"] >= 1500


@pytest.mark.parametrize("fmt", ["webp", "apng"])
def test_webp_and_apng(fmt, recs, tmp_path):
    outs = animations.render_animations(recs("surface"), tmp_path, ["surface_anim"], fmt=fmt,
                                     options={"surface_anim": {"frames": 6}}, dpi=40)
    o = outs[0]
    assert o.format == fmt and o.path.suffix == (".webp" if fmt == "webp" else ".png")
    with Image.open(o.path) as im:
        assert im.n_frames == 6


@pytest.mark.parametrize("kind,name", [("zeros", "hist_anim"), ("zeros", "heatmap_anim"),
                                       ("one_record", "hist_anim"), ("one_layer", "heatmap_anim")])
def test_degenerate_animations(kind, name, recs, tmp_path):
    n = min(recs(kind).steps.size, 4)
    outs = animations.render_animations(recs(kind), tmp_path, [name], dpi=40,
                                     options={name: {"frames": 4}})
    assert outs[0].extra["frames"] == n
    if n > 1:
        check_gif(outs[0].path, n)
    else:                                # a single frame is written as a still GIF
        with Image.open(outs[0].path) as im:
            assert im.n_frames == 1


def test_unknown_animation(recs, tmp_path):
    with pytest.raises(ValueError, match="unknown animation"):
        animations.render_animations(recs("nan"), tmp_path, ["nope"])
    with pytest.raises(ValueError, match="unknown animation format"):
        animations.render_animations(recs("nan"), tmp_path, ["hist_anim"], fmt="mp4")
    assert "boundary_anim" not in animations.available_animations(recs("nan"))
    assert animations.available_animations(recs("surface")) == ["surface_anim"]


def test_registry_and_module_shape():
    assert list(animations.ANIMATIONS) == list(animations.MODULES) == [
        "hist_anim", "heatmap_anim", "boundary_anim", "surface_anim"]
    for name, spec in animations.ANIMATIONS.items():
        assert spec.module.NAME == name and spec.compose.__doc__ and spec.requires
        assert isinstance(spec.module.CAPTION, str)


def test_alt_text_counts_frames_in_every_plural_form():
    assert animations.alt_text(1, "C.", "en") == "Animation with 1 frame. C."
    assert animations.alt_text(22, "C.", "en") == "Animation with 22 frames. C."
    assert animations.alt_text(1, "C.", "ro") == "Animație cu 1 cadru. C."
    assert animations.alt_text(5, "C.", "ro") == "Animație cu 5 cadre. C."
    assert animations.alt_text(22, "C.", "ro") == "Animație cu 22 de cadre. C."
    assert animations.alt_text(1, "C.", "bg") == "Анимация с 1 кадър. C."


def _overlap(a, b, tol=0.5):
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.y1, b.y1) - max(a.y0, b.y0) > tol


@pytest.mark.parametrize("lang", ["en", "bg"])
def test_race_labels_never_touch_each_other_or_cover_a_marker(recs, lang):
    rec = recs("surface")
    fig, scene = animations.build(rec, "surface_anim", dpi=60, frames=9, lang=lang)
    renderer = fig.canvas.get_renderer()
    tags = [a for a in scene.artists if hasattr(a, "xyann")]
    heads = [a for a in scene.artists if getattr(a, "get_marker", lambda: None)() == "o"]
    assert len(tags) == len(rec.labels) >= 4
    for k in (0, scene.n_frames // 2, scene.n_frames - 1):
        scene.update(k)
        boxes = [tag.get_window_extent(renderer) for tag in tags]
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                assert not _overlap(boxes[i], boxes[j]), (k, tags[i].get_text(), tags[j].get_text())
        for h in heads:
            xd, yd = h.get_data()
            if len(xd):
                px, py = h.axes.transData.transform((xd[0], yd[0]))
                assert not any(b.x0 < px < b.x1 and b.y0 < py < b.y1 for b in boxes), (k, "marker covered")
        ax = tags[0].axes
        assert all(b.x0 >= ax.bbox.x0 - 1 and b.x1 <= ax.bbox.x1 + 1 for b in boxes), "tag outside the plot"


def test_fixed_offsets_would_overlap_at_the_shared_start(recs):
    """The check above can fail: tags all at one fixed offset from one start point overlap."""
    fig, scene = animations.build(recs("surface"), "surface_anim", dpi=60, frames=9)
    tags = [a for a in scene.artists if hasattr(a, "xyann")]
    scene.update(0)
    for tag in tags:
        tag.xyann, tag.xy = (8, 8), tags[0].xy
        tag.set_ha("left"), tag.set_va("bottom")
    r = fig.canvas.get_renderer()
    assert _overlap(tags[0].get_window_extent(r), tags[1].get_window_extent(r))


def test_palette_mapper_is_the_exact_nearest_colour_with_or_without_a_background():
    from gradviz.animations.writers import PaletteMapper, reserved_colors
    rng = np.random.default_rng(3)
    pal = np.unique(np.concatenate([np.array(reserved_colors(), dtype=np.uint8),
                                    rng.integers(0, 256, (180, 3), dtype=np.uint8)]), axis=0)
    bg = np.full((40, 50, 4), 255, np.uint8)
    bg[..., :3] = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)
    frame = bg.copy()
    frame[5:20, 10:30, :3] = rng.integers(0, 256, (15, 20, 3), dtype=np.uint8)
    frame[0, 0, :3] = pal[7]                               # a palette colour maps to itself
    px = frame[..., :3].reshape(-1, 3).astype(int)
    brute = ((px[:, None, :] - pal[None, :, :].astype(int)) ** 2).sum(-1).argmin(1).reshape(40, 50)
    with_bg = PaletteMapper(pal, bg)
    assert (with_bg.indices(frame) == brute).all()
    assert (PaletteMapper(pal).indices(np.ascontiguousarray(frame[..., :3])) == brute).all()
    assert brute[0, 0] == 7
    im = with_bg(frame)
    assert im.mode == "P" and (np.asarray(im.convert("RGB")) == pal[brute]).all()


def test_each_frame_is_drawn_once(recs):
    from gradviz.animations.writers import render_frames
    fig, scene = animations.build(recs("nan"), "hist_anim", dpi=40)
    calls = []
    update = scene.update
    scene.update = lambda k: (calls.append(k), update(k))[1]
    with style.style_context("web"):
        frames, pal = render_frames(fig, scene)
    assert sorted(calls) == list(range(scene.n_frames)) and len(frames) == scene.n_frames


def test_seconds_say_where_the_time_went(recs, tmp_path):
    import time
    t = time.perf_counter()
    (out,) = animations.render_animations(recs("nan"), tmp_path, ["hist_anim"], dpi=40)
    wall = time.perf_counter() - t
    sec = out.extra["seconds"]
    assert set(sec) == {"build", "static", "palette", "frames", "encode"}
    assert all(v > 0 for v in sec.values())
    assert sum(sec.values()) <= wall          # the parts never overlap


def test_lines_and_texts_that_draw_nothing_are_skipped():
    from matplotlib.lines import Line2D
    from matplotlib.text import Text
    from gradviz.animations.scene import draws_nothing
    assert draws_nothing(Line2D([], [])) and not draws_nothing(Line2D([0], [0]))
    assert draws_nothing(Text(0, 0, "")) and not draws_nothing(Text(0, 0, "x"))


@pytest.mark.parametrize("kind,name,options", [("nan", "hist_anim", {}), ("boundary", "boundary_anim", {}),
                                                ("surface", "surface_anim", {"frames": 12}),
                                                ("nan", "heatmap_anim", {})])
def test_pasted_texts_give_exactly_the_pixels_drawing_gives(kind, name, options, recs, monkeypatch):
    from gradviz.animations import scene as scene_mod

    def frames():
        fig, scene = animations.build(recs(kind), name, dpi=50, **options)
        with style.style_context("web"):
            fr = FrameRenderer(fig, scene)
            return [fr.rgba(k).copy() for k in range(scene.n_frames)], fr.texts

    pasted, texts = frames()
    monkeypatch.setattr(scene_mod.TextPixels, "draw", lambda self, text, draw: draw())
    drawn, _ = frames()
    assert len(pasted) == len(drawn) > 2
    for a, b in zip(pasted, drawn):
        assert (a == b).all()
    if name == "hist_anim":
        assert texts.kept, "no note was ever kept for pasting"


def test_a_note_over_changed_pixels_is_drawn_again():
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from gradviz.animations.scene import TextPixels
    fig = Figure(figsize=(2, 1), dpi=100)
    FigureCanvasAgg(fig)
    note = fig.text(0.5, 0.5, "NaN/Inf", ha="center", va="center", color="#FF00CC", alpha=0.7)
    note.set_animated(True)
    fig.canvas.draw()
    buf = np.asarray(fig.canvas.buffer_rgba())
    tp = TextPixels(fig.canvas)
    calls = []

    def draw():
        calls.append(1)
        fig.draw_artist(note)
    bg = buf.copy()
    tp.draw(note, draw)
    first = buf.copy()
    buf[...] = bg
    tp.draw(note, draw)                               # unchanged: pasted
    assert len(calls) == 1 and (buf == first).all()
    bg[40:60, :, :3] = 0                              # a dark band under the note
    buf[...] = bg
    tp.draw(note, draw)
    assert len(calls) == 2 and not (buf == first).all()
