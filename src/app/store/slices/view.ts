/** What the visitor is looking at: lecture mode, hidden controls, the matrix's category and student. */
import type { GetState, SetState, ViewSlice } from '../types';

export function createViewSlice(set: SetState, _get: GetState): ViewSlice {
  return {
    lecture: false,
    hidden: [],
    setLecture: (lecture) => set({ lecture }),
    setHidden: (hidden) => set({ hidden }),
    category: 'beats',
    selectCategory: (category) => set({ category }),
    matrixStudent: null,
    selectMatrixStudent: (matrixStudent) => set({ matrixStudent }),
  };
}
