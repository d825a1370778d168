/** What the visitor is looking at: lecture mode, hidden controls, the matrix's category and student, the regions. */
import type { GetState, SetState, ViewSlice } from '../types';

export function createViewSlice(set: SetState, _get: GetState): ViewSlice {
  return {
    lecture: false,
    hidden: [],
    setLecture: (lecture) => set({ lecture }),
    setHidden: (hidden) => set({ hidden }),
    category: 'beats',
    regions: 'side-by-side',
    selectCategory: (category) => set({ category }),
    matrixStudent: null,
    selectMatrixStudent: (matrixStudent) => set({ matrixStudent }),
    setRegions: (regions) => set({ regions }),
  };
}
