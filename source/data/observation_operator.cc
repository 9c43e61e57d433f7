#include <deal.II/base/array_view.h>

#include <deal.II/fe/fe.h>

#include <deal.II/matrix_free/evaluation_flags.h>
#include <deal.II/matrix_free/fe_point_evaluation.h>

#include <mollifem/data/observation_operator.h>

namespace mollifem
{
  template <int dim>
  ObservationOperator<dim>::ObservationOperator(
    const std::vector<Point<dim>> &points,
    const MPI_Comm                 communicator)
    : points(points)
    , communicator(communicator)
    , mapping(nullptr)
  {
    const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(communicator);
    const unsigned int rank    = Utilities::MPI::this_mpi_process(communicator);
    const auto         range   = Utilities::create_evenly_distributed_partitioning(
      rank, n_ranks, static_cast<types::global_dof_index>(points.size()));
    first_point = range.nth_index_in_set(0);
    end_point   = first_point + range.n_elements();
    if (range.n_elements() == 0)
      first_point = end_point = 0;
  }



  template <int dim>
  void
  ObservationOperator<dim>::reinit(const Triangulation<dim> &triangulation,
                                   const Mapping<dim> &      mapping)
  {
    this->mapping = &mapping;

    // enforce_unique_mapping: a point on a face belongs to exactly one cell.
    locator = std::make_unique<Utilities::MPI::RemotePointEvaluation<dim>>(
      /*tolerance=*/1e-8, /*enforce_unique_mapping=*/true);
    const std::vector<Point<dim>> my_points(points.begin() + first_point,
                                            points.begin() + end_point);
    locator->reinit(my_points, triangulation, mapping);
  }



  template <int dim>
  std::vector<unsigned int>
  ObservationOperator<dim>::points_not_found() const
  {
    Assert(locator, ExcMessage("Call reinit() first."));
    std::vector<unsigned int> missing;
    for (unsigned int i = first_point; i < end_point; ++i)
      if (!locator->point_found(i - first_point))
        missing.push_back(i);
    std::vector<unsigned int> all;
    for (const auto &part : Utilities::MPI::all_gather(communicator, missing))
      all.insert(all.end(), part.begin(), part.end());
    return all;
  }



  template <int dim>
  std::vector<double>
  ObservationOperator<dim>::evaluate(const DoFHandler<dim> &dof_handler,
                                     const LA::Vector &     ghosted_vector,
                                     const unsigned int     component) const
  {
    Assert(locator, ExcMessage("Call reinit() first."));
    Assert(&dof_handler.get_triangulation() == &locator->get_triangulation(),
           ExcMessage("The field must live on the triangulation the points "
                      "were located in."));
    const FiniteElement<dim> &fe = dof_handler.get_fe();

    const auto evaluate_on_cells =
      [&](const ArrayView<double> &values,
          const typename Utilities::MPI::RemotePointEvaluation<dim>::CellData
            &cell_data) {
        FEPointEvaluation<1, dim> evaluator(*mapping,
                                            fe,
                                            update_values,
                                            component);
        std::vector<double> local_values(fe.n_dofs_per_cell());
        for (unsigned int i = 0; i < cell_data.cells.size(); ++i)
          {
            const typename DoFHandler<dim>::active_cell_iterator cell(
              &dof_handler.get_triangulation(),
              cell_data.cells[i].first,
              cell_data.cells[i].second,
              &dof_handler);
            const unsigned int begin = cell_data.reference_point_ptrs[i];
            const unsigned int end   = cell_data.reference_point_ptrs[i + 1];
            const ArrayView<const Point<dim>> unit_points(
              cell_data.reference_point_values.data() + begin, end - begin);

            cell->get_dof_values(ghosted_vector,
                                 local_values.begin(),
                                 local_values.end());
            evaluator.reinit(cell, unit_points);
            evaluator.evaluate(local_values, EvaluationFlags::values);
            for (unsigned int q = 0; q < unit_points.size(); ++q)
              values[begin + q] = evaluator.get_value(q);
          }
      };

    std::vector<double> my_values, buffer;
    locator->template evaluate_and_process<double>(my_values,
                                                   buffer,
                                                   evaluate_on_cells);

    std::vector<double> all_values;
    all_values.reserve(points.size());
    for (const auto &part : Utilities::MPI::all_gather(communicator, my_values))
      all_values.insert(all_values.end(), part.begin(), part.end());
    AssertThrow(all_values.size() == points.size(),
                ExcMessage("Some observation points lie outside the mesh."));
    return all_values;
  }



  template <int dim>
  void
  ObservationOperator<dim>::add_transpose(
    const DoFHandler<dim> &          dof_handler,
    const std::vector<double> &      weights,
    const AffineConstraints<double> &constraints,
    LA::Vector &                     dual,
    const unsigned int               component) const
  {
    Assert(locator, ExcMessage("Call reinit() first."));
    Assert(&dof_handler.get_triangulation() == &locator->get_triangulation(),
           ExcMessage("The field must live on the triangulation the points "
                      "were located in."));
    AssertDimension(weights.size(), points.size());
    const FiniteElement<dim> &fe = dof_handler.get_fe();

    const auto integrate_on_cells =
      [&](const ArrayView<const double> &values,
          const typename Utilities::MPI::RemotePointEvaluation<dim>::CellData
            &cell_data) {
        FEPointEvaluation<1, dim> evaluator(*mapping,
                                            fe,
                                            update_values,
                                            component);
        std::vector<double> local_values(fe.n_dofs_per_cell());
        std::vector<types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
        for (unsigned int i = 0; i < cell_data.cells.size(); ++i)
          {
            const typename DoFHandler<dim>::active_cell_iterator cell(
              &dof_handler.get_triangulation(),
              cell_data.cells[i].first,
              cell_data.cells[i].second,
              &dof_handler);
            const unsigned int begin = cell_data.reference_point_ptrs[i];
            const unsigned int end   = cell_data.reference_point_ptrs[i + 1];
            const ArrayView<const Point<dim>> unit_points(
              cell_data.reference_point_values.data() + begin, end - begin);

            evaluator.reinit(cell, unit_points);
            for (unsigned int q = 0; q < unit_points.size(); ++q)
              evaluator.submit_value(values[begin + q], q);
            evaluator.integrate(local_values, EvaluationFlags::values);
            cell->get_dof_indices(dof_indices);
            constraints.distribute_local_to_global(local_values,
                                                   dof_indices,
                                                   dual);
          }
      };

    const std::vector<double> my_weights(weights.begin() + first_point,
                                         weights.begin() + end_point);
    std::vector<double>       buffer;
    locator->template process_and_evaluate<double>(my_weights,
                                                   buffer,
                                                   integrate_on_cells);
    dual.compress(VectorOperation::add);
  }



  template <int dim>
  unsigned int
  ObservationOperator<dim>::n_points() const
  {
    return points.size();
  }



  template class ObservationOperator<1>;
  template class ObservationOperator<2>;
  template class ObservationOperator<3>;
} // namespace mollifem
