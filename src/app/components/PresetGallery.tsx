import { GALLERY } from '../gallery';
import { useApp } from '../store/context';

/** Every preset as a card with its one-line lesson; a click loads and runs it. */
export function PresetGallery({ onClose }: { onClose: () => void }) {
  const loadPreset = useApp((s) => s.loadPreset);
  const startRun = useApp((s) => s.startRun);
  return (
    <div className="gallery-overlay" role="dialog" aria-label="Preset gallery" data-testid="preset-gallery" onClick={onClose}>
      <div className="gallery-sheet" onClick={(e) => e.stopPropagation()}>
        <header className="panel-head">
          <h2>Experiments</h2>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </header>
        {GALLERY.map((section) => (
          <section key={section.title} aria-label={section.title}>
            <h3 className="gallery-section">{section.title}</h3>
            <div className="preset-cards">
              {section.presets.map((p) => (
                <button
                  key={p.id}
                  type="button"
                  className="preset-card"
                  data-testid={`gallery-${p.id}`}
                  onClick={() => {
                    loadPreset(p.id);
                    startRun();
                    onClose();
                  }}
                >
                  <strong>{p.title}</strong>
                  <span>{p.lesson}</span>
                  <code>{p.id}</code>
                </button>
              ))}
            </div>
          </section>
        ))}
      </div>
    </div>
  );
}
