import { Dialog } from './Dialog';
import { GALLERY } from '../gallery';
import { PaperLinks } from './PaperLinks';
import { useApp } from '../store/context';

/** Every preset as a card with its one-line lesson; a click loads and runs it. */
export function PresetGallery({ onClose }: { onClose: () => void }) {
  const loadPreset = useApp((s) => s.loadPreset);
  const startRun = useApp((s) => s.startRun);
  return (
    <Dialog title="Experiments" onClose={onClose} testId="preset-gallery">
      {GALLERY.map((section) => (
        <section key={section.title} aria-label={section.title}>
          <h3 className="gallery-section">{section.title}</h3>
          <div className="preset-cards">
            {section.presets.map((p) => (
              <div key={p.id} className="preset-card-box">
                <button
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
                <PaperLinks papers={p.papers} />
              </div>
            ))}
          </div>
        </section>
      ))}
    </Dialog>
  );
}
